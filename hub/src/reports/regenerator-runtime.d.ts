/** regenerator-runtime ships no types; the PDF writer only hands it to fontkit as a global. */
declare module 'regenerator-runtime' {
  const runtime: object;
  export default runtime;
}
