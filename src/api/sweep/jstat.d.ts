/** The part of jStat meshviz uses (the package ships no types; it is CommonJS, so its one export is the default). */
declare module 'jstat' {
  const jstat: { jStat: { studentt: { inv(p: number, dof: number): number } } };
  export default jstat;
}
