import { createContext, startTransition, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { Controller } from '../state/Controller.ts';

export const ControllerContext = createContext<Controller | undefined>(undefined);

/** The controller, re-rendering the caller when a control or the scenario changes. */
export function useController(): Controller {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController outside <ControllerContext.Provider>');
  useSyncExternalStore(controller.subscribe, controller.getVersion);
  return controller;
}

/**
 * The controller, re-rendering the caller on control changes and as playback
 * moves (a few times a second). Those renders are transitions: React may
 * split them across frames, so hundreds of cards and log lines never hold
 * up the animation.
 */
export function useLiveController(): Controller {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useLiveController outside <ControllerContext.Provider>');
  const [, setVersion] = useState(controller.liveVersion);
  useEffect(() => controller.subscribeLive(() => startTransition(() => setVersion(controller.liveVersion))), [controller]);
  return controller;
}
