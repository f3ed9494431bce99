import { createRoot } from 'react-dom/client';
import { Loading } from './views/Loading.tsx';
import './styles.css';

// The first paint needs only React and this page; the simulator (engine,
// control plane, YAML and its schemas: most of the bytes) comes in its own
// chunks, fetched at once and shown as soon as it has loaded.
const element = document.getElementById('root');
if (element) {
  const root = createRoot(element);
  root.render(<Loading />);
  void import('./boot.tsx').then(({ boot }) => boot(root));
}
