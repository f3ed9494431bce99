/** The name and what the page is for, at the top left (also on the loading page). */
export function Brand() {
  return (
    <div className="brand">
      <h1>meshviz</h1>
      <p>Watch a request cross an Istio service mesh, one hop at a time.</p>
    </div>
  );
}
