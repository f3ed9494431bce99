import { createContext, startTransition, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { Controller } from '../state/Controller.ts';
import type { LiveChannel } from '../state/LiveSchedule.ts';

export const ControllerContext = createContext<Controller | undefined>(undefined);

/** The controller, re-rendering the caller when a control or the scenario changes. */
export function useController(): Controller {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useController outside <ControllerContext.Provider>');
  useSyncExternalStore(controller.hub.subscribe, controller.hub.getVersion);
  return controller;
}

/**
 * The controller, re-rendering the caller on control changes and whenever
 * its live `channel` is refreshed as playback moves (each channel on its own
 * frames, a few times a second). Those renders are transitions: React may
 * split them across frames, so they never hold up the animation.
 */
export function useLiveController(channel: LiveChannel): Controller {
  const controller = useContext(ControllerContext);
  if (!controller) throw new Error('useLiveController outside <ControllerContext.Provider>');
  const [, setTick] = useState(0);
  useEffect(() => controller.hub.subscribeLive(channel, () => startTransition(() => setTick((n) => n + 1))), [controller, channel]);
  return controller;
}
