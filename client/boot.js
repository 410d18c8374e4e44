// Starts the client. A file of its own, not an inline script, so the server can send a
// Content-Security-Policy without 'unsafe-inline'.
//
// Four builds: attendees' pages load the small one, and their meetings and exhibition pages
// the meet build (the same, the meetings and the booths); the moderator, speaker and big-screen screens the staff build;
// the organiser's pages the organise build, which has every screen.
// The patterns take every path the app reads as such a screen (any case, repeated slashes), so
// no build sends a page back here in a loop; an event or session named "screen" stays attendee.
const path = location.pathname;
const organise = /^\/+organise(\/|$)/i.test(path);
const staff = /^\/+e\/[^/]+\/+s\/[^/]+\/+(moderate|speak|screen)\/*$|^\/+e\/[^/]+\/+(meetings\/+)?screen\/*$/i.test(path);
const meet = /^\/+e\/[^/]+\/+(meetings|exhibition(\/+[^/]+)?)\/*$/i.test(path);
const name = organise ? "organise" : staff ? "staff" : meet ? "meet" : "client";

import(`/${name}.js?v=__VERSION__`)
  .then(({ default: init }) => init({ module_or_path: `/${name}_bg.wasm?v=__VERSION__` }))
  .catch((error) => {
    const boot = document.getElementById("boot");
    if (boot) boot.textContent = "Plenum could not start in this browser. Try reloading the page.";
    console.error(error);
  });
