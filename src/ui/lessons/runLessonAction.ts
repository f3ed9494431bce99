import type { Controller } from '../state/Controller.ts';
import type { LessonAction } from './lessons.ts';

/** Does what a lesson step's "Do it" says, through the same controller methods the controls call. */
export function runLessonAction(c: Controller, action: LessonAction): void {
  switch (action.kind) {
    case 'weights':
      c.setWeights(action.route, action.weights);
      return;
    case 'send': {
      const to = c.destinations().find((g) => g.label === action.to);
      if (!to) throw new Error(`lesson: no service ${action.to}`);
      c.select(action.from, to.id);
      c.send(action.count);
      if (action.speed !== undefined) c.setSpeed(action.speed);
      return;
    }
    case 'fail': {
      const pods = c.scene.live.scenario.pods.filter((p) => p.workload === action.workload);
      for (const pod of pods) c.setFailing(pod.name, action.mode);
      return;
    }
    case 'mtls':
      c.setMtls(action.mode);
      return;
    case 'document':
      c.change({ kind: 'document', ref: action.ref, text: action.text });
      return;
    case 'add':
      c.change({ kind: 'add', files: [action.file] });
      return;
    case 'story':
      c.playStory(true);
      return;
    case 'advance':
      c.advance(action.micros);
      return;
    default: {
      const never: never = action;
      throw new Error(`unknown lesson action ${JSON.stringify(never)}`);
    }
  }
}
