import type { Analyzer } from './Analyzer.ts';
import { ambientPolicyTargets } from './ambientPolicyTargets.ts';
import { ambientRoutingWithoutWaypoint } from './ambientRoutingWithoutWaypoint.ts';
import { ambientWaypointBypassedBySidecars } from './ambientWaypointBypassedBySidecars.ts';
import { callCycles } from './callCycles.ts';
import { conflictingVirtualServices } from './conflictingVirtualServices.ts';
import { destinationPortRequired } from './destinationPortRequired.ts';
import { destinationRuleHostNotFound } from './destinationRuleHostNotFound.ts';
import { externalHostNotRegistered } from './externalHostNotRegistered.ts';
import { doubleTlsOrigination } from './doubleTlsOrigination.ts';
import { gatewayOnlyCalledFromMesh } from './gatewayOnlyCalledFromMesh.ts';
import { meshRouteToGatewayWithoutRoute } from './meshRouteToGatewayWithoutRoute.ts';
import { gatewayReferences } from './gatewayReferences.ts';
import { gatewaySelector } from './gatewaySelector.ts';
import { mtlsDisabledTowardStrict } from './mtlsDisabledTowardStrict.ts';
import { outlierNeverEjects } from './outlierNeverEjects.ts';
import { principalsWithoutMtls } from './principalsWithoutMtls.ts';
import { retryAmplification } from './retryAmplification.ts';
import { retryNonIdempotent } from './retryNonIdempotent.ts';
import { routeHostNotFound } from './routeHostNotFound.ts';
import { routeWeights } from './routeWeights.ts';
import { selectorMatchesNoWorkload } from './selectorMatchesNoWorkload.ts';
import { serviceProfileDisablesAnnotations } from './serviceProfileDisablesAnnotations.ts';
import { serviceEntryAddressesRequired } from './serviceEntryAddressesRequired.ts';
import { serviceEntryNotExported } from './serviceEntryNotExported.ts';
import { serviceEntryStaticWithoutEndpoints } from './serviceEntryStaticWithoutEndpoints.ts';
import { sidecarHidesCalledHost } from './sidecarHidesCalledHost.ts';
import { strictWithPlaintextCallers } from './strictWithPlaintextCallers.ts';
import { subsetNotDefined } from './subsetNotDefined.ts';
import { subsetSelectsNoPods } from './subsetSelectsNoPods.ts';
import { timeoutBelowRetries } from './timeoutBelowRetries.ts';
import { unreachableRules } from './unreachableRules.ts';

/** Every analyzer, in the order they run (the output is sorted afterwards, so order does not matter). */
export const ANALYZERS: readonly Analyzer[] = [
  routeHostNotFound,
  subsetNotDefined,
  subsetSelectsNoPods,
  destinationRuleHostNotFound,
  unreachableRules,
  conflictingVirtualServices,
  destinationPortRequired,
  routeWeights,
  mtlsDisabledTowardStrict,
  strictWithPlaintextCallers,
  outlierNeverEjects,
  retryAmplification,
  retryNonIdempotent,
  timeoutBelowRetries,
  principalsWithoutMtls,
  selectorMatchesNoWorkload,
  externalHostNotRegistered,
  doubleTlsOrigination,
  sidecarHidesCalledHost,
  serviceEntryStaticWithoutEndpoints,
  serviceEntryAddressesRequired,
  serviceEntryNotExported,
  gatewayReferences,
  gatewaySelector,
  gatewayOnlyCalledFromMesh,
  meshRouteToGatewayWithoutRoute,
  callCycles,
  serviceProfileDisablesAnnotations,
  ambientRoutingWithoutWaypoint,
  ambientPolicyTargets,
  ambientWaypointBypassedBySidecars,
];

/** The analyzers whose errors mean the scenario cannot run at all (opening a session runs them too). */
export const BEFORE_RUNNING: readonly Analyzer[] = [callCycles];
