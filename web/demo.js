// The demo page's widget: the README's embed snippet, pointed at the server that served this page.
WebChat.default({
  socketUrl: window.location.origin,
  initPayload: "/greet",
  title: "Career guide",
  subtitle: "Which AI career fits you?",
  inputTextFieldHint: "Ask a question…",
  params: { storage: "local" },
  withRules: false,
}, null);
