// Starts the client. A file of its own, not an inline script, so the server can send a
// Content-Security-Policy without 'unsafe-inline'.
import init from "/client.js?v=__VERSION__";

init({ module_or_path: "/client_bg.wasm?v=__VERSION__" }).catch((error) => {
  const boot = document.getElementById("boot");
  if (boot) boot.textContent = "Plenum could not start in this browser. Try reloading the page.";
  console.error(error);
});
