// The demo page's widget: the embed snippet of docs/channels.md, pointed at the server that served this page.
WebChat.default({
  socketUrl: window.location.origin,
  initPayload: "/greet",
  title: "Career guide",
  subtitle: "Which AI career fits you?",
  inputTextFieldHint: "Ask a question…",
  params: { storage: "local" },
  withRules: false,
}, null);
