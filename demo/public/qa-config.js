/*
 * Builds window.difyChatbotConfig from the QA panel's saved settings (localStorage
 * "dify-demo-settings") and then adds the widget's script tag with the token as its id, like the
 * snippet Dify's console generates. Loaded synchronously at the end of <body>; external (not inline)
 * so the page can be served under a strict Content-Security-Policy.
 */
(function () {
  'use strict';
  var KEY = 'dify-demo-settings';
  var saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) || '{}') || {};
  } catch (err) {
    console.warn(`[demo] ignoring unreadable ${KEY}`, err);
  }

  function parseJson(text, label) {
    if (typeof text !== 'string' || !text.trim()) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      console.warn(`[demo] ${label} is not valid JSON and was ignored:`, text);
      return undefined;
    }
  }

  var config = {
    token: typeof saved.token === 'string' && saved.token ? saved.token : 'demo-chat',
    baseUrl: location.origin,
  };
  if (saved.draggable) config.draggable = true;
  if (saved.dragAxis === 'x' || saved.dragAxis === 'y') config.dragAxis = saved.dragAxis;
  var inputs = parseJson(saved.inputs, 'inputs');
  if (inputs) config.inputs = inputs;
  var systemVariables = parseJson(saved.systemVariables, 'systemVariables');
  if (systemVariables) config.systemVariables = systemVariables;
  var userVariables = parseJson(saved.userVariables, 'userVariables');
  if (userVariables) config.userVariables = userVariables;
  window.difyChatbotConfig = config;

  var script = document.createElement('script');
  script.src = saved.script === '/embed.js' ? '/embed.js' : '/embed.min.js';
  script.id = config.token;
  script.defer = true;
  script.addEventListener('error', function () {
    document.documentElement.setAttribute('data-embed-missing', 'true');
    var note = document.getElementById('qa-embed-missing');
    if (note) note.hidden = false;
  });
  document.body.appendChild(script);
})();
