// Starts the client. A file of its own, not an inline script, so the server can send a
// Content-Security-Policy without 'unsafe-inline'.
//
// Two builds: attendees' pages load the small one; the moderator, speaker, big-screen and
// organiser screens load the staff build, which has every screen. The pattern takes every
// path the app reads as a staff screen (any case, repeated slashes), so the attendee build
// never sends a page back here in a loop; an event or session named "screen" stays attendee.
const staff = /^\/+organise(\/|$)|^\/+e\/[^/]+\/+s\/[^/]+\/+(moderate|speak|screen)\/*$|^\/+e\/[^/]+\/+screen\/*$/i
  .test(location.pathname);
const name = staff ? "staff" : "client";

import(`/${name}.js?v=__VERSION__`)
  .then(({ default: init }) => init({ module_or_path: `/${name}_bg.wasm?v=__VERSION__` }))
  .catch((error) => {
    const boot = document.getElementById("boot");
    if (boot) boot.textContent = "Plenum could not start in this browser. Try reloading the page.";
    console.error(error);
  });
