/** `deno task demo`: the whole flow on this machine against local emulators. Not yet built. */
console.log("The demo is not built yet: it arrives with the sync itself.");
