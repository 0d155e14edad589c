/*
 * QA panel, Dify versions: switches the era the mock speaks for the app selected in the panel
 * (1.12 … 1.16, see demo/README.md "Dify versions"), the New Agent app's "published" state, and the
 * timers of 1.13+ streams and human-input forms. qa.js announces each /__mock/state it reads with a
 * `qa:state` event on the panel and refreshes on `qa:refresh`. Text goes in with textContent only.
 */
(function () {
  'use strict';
  var ERAS = [
    ['1.12', '1.12 (Dify 1.12.1)'],
    ['1.13.0', '1.13.0 (pub/sub chatflows, message_end lost)'],
    ['1.13.1', '1.13.1 (to 1.13.2: stripped metadata)'],
    ['1.16', '1.16 (1.13.3 to 1.16.1: New Agent, forms)'],
  ];
  var panel = document.getElementById('qa');
  var appSelect = document.getElementById('qa-app');
  var anchor = document.getElementById('qa-app-code');
  var settingsForm = document.getElementById('qa-settings');
  var statusLine = document.getElementById('qa-status');
  if (!panel || !appSelect || !anchor || !settingsForm) return;
  var apps = [];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.setAttribute('data-kind', kind);
  }

  // ---- controls, in the "Deployment (selected app)" section -----------------------------------

  var eraSelect = el('select', { id: 'qa-era', name: 'era' });
  ERAS.forEach(function (era) {
    eraSelect.appendChild(el('option', { value: era[0] }, era[1]));
  });
  var eraLabel = el('label', {}, 'Dify version of the selected app ');
  eraLabel.appendChild(eraSelect);
  var published = el('input', { type: 'checkbox', id: 'qa-published' });
  var publishedLabel = el('label', { class: 'qa-inline' });
  publishedLabel.appendChild(published);
  publishedLabel.appendChild(document.createTextNode(' New Agent published (off: agent_not_published)'));
  var box = el('div', { class: 'qa-form' });
  box.appendChild(eraLabel);
  box.appendChild(publishedLabel);
  anchor.parentNode.insertBefore(box, anchor);

  // ---- timers, in "Mock settings": qa.js posts any number input of that form on change ---------

  [
    ['idleTimeoutMs', '1.13+ idle close (ms)'],
    ['humanInputExpiryMs', 'human-input form expiry (ms)'],
  ].forEach(function (field) {
    var label = el('label', {}, `${field[1]} `);
    label.appendChild(el('input', { name: field[0], type: 'number', min: '1', step: '1000' }));
    settingsForm.appendChild(label);
  });

  /** The oldest era an app can speak (demo/server/eras.ts `oldestEraFor`). */
  function oldestEra(app) {
    if (app.mode === 'agent') return '1.16';
    return app.human_input ? '1.13.0' : '1.12';
  }

  function selectedApp() {
    for (var i = 0; i < apps.length; i++) if (apps[i].key === appSelect.value) return apps[i];
    return null;
  }

  /** Through the style, since the panel's `label { display: grid }` rules outrank `hidden`. */
  function showIf(node, visible) {
    node.style.display = visible ? '' : 'none';
  }

  function show() {
    var app = selectedApp();
    showIf(box, !!app);
    if (!app) return;
    var oldest = ERAS.map(function (e) {
      return e[0];
    }).indexOf(oldestEra(app));
    Array.prototype.forEach.call(eraSelect.options, function (option, index) {
      option.disabled = index < oldest;
    });
    if (document.activeElement !== eraSelect) eraSelect.value = app.era;
    showIf(publishedLabel, app.mode === 'agent');
    published.checked = app.published;
  }

  function change(payload, message) {
    var app = selectedApp();
    if (!app) return;
    fetch(`/__mock/apps/${encodeURIComponent(app.key)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    })
      .then(function (res) {
        return res.json().then(function (data) {
          if (!res.ok) throw new Error(data?.message || `HTTP ${res.status}`);
          say(message(data.app), 'ok');
        });
      })
      .catch(function (err) {
        say(`Failed: ${err.message}`, 'error');
      })
      .then(function () {
        panel.dispatchEvent(new CustomEvent('qa:refresh'));
      });
  }

  eraSelect.addEventListener('change', function () {
    change({ era: eraSelect.value }, function (a) {
      return `${a.key} now speaks Dify ${a.era}.`;
    });
  });
  published.addEventListener('change', function () {
    change({ published: published.checked }, function (a) {
      return `${a.key} is ${a.published ? 'published' : 'unpublished'}.`;
    });
  });
  appSelect.addEventListener('change', show);

  panel.addEventListener('qa:state', function (event) {
    apps = event.detail.apps;
    show();
    var s = event.detail.settings;
    ['idleTimeoutMs', 'humanInputExpiryMs'].forEach(function (name) {
      var input = settingsForm.elements[name];
      if (input && document.activeElement !== input) input.value = s[name];
    });
  });
})();
