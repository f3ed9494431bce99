/**
 * The Istio release whose behaviour the engine reproduces, with the Envoy it
 * programs: the newest described in mesh-semantics (its header), which is what
 * the tests pin. Older releases' differences are noted where they are modelled.
 */
export const MODELLED_BEHAVIOUR = 'Istio 1.29 (Envoy as Istio 1.29 programs it)';
