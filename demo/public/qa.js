/*
 * The QA panel: edits the widget config (saved to localStorage, applied by reloading), queues faults
 * for the next request, flips the mock's settings and deployment controls, and shows what the mock did.
 * Talks only to /__mock/* on this origin. Writes text with textContent only.
 */
(function () {
  'use strict';
  var KEY = 'dify-demo-settings';
  var OPEN_KEY = 'dify-demo-qa-open';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var panel = $('qa');
  var body = $('qa-body');
  var toggle = $('qa-toggle');
  var statusLine = $('qa-status');
  var configForm = $('qa-config');
  var settingsForm = $('qa-settings');
  var appSelect = $('qa-app');
  var apps = [];

  function loadSaved() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || '{}') || {};
    } catch {
      return {};
    }
  }

  /**
   * Shows `text` in the status line of the section holding `near` (the control just used), so it
   * appears where the visitor is looking, scrolled into view; without `near`, at the top.
   */
  function say(text, kind, near) {
    var section = near?.closest('details, .qa-footer');
    var line = section?.querySelector('.qa-status') || statusLine;
    line.textContent = text;
    line.setAttribute('data-kind', kind || 'info');
    if (line !== statusLine) line.scrollIntoView({ block: 'nearest' });
  }

  function api(method, path, payload) {
    var init = { method: method, headers: {} };
    // Every change goes as JSON, even without a body: the mock refuses other types (no CSRF).
    if (method !== 'GET') init.headers['Content-Type'] = 'application/json';
    if (payload !== undefined) init.body = JSON.stringify(payload);
    return fetch(`/__mock${path}`, init).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data?.message || `HTTP ${res.status}`);
        return data;
      });
    });
  }

  /** A handler that reports a failed call next to the control that made it. */
  function failNear(near) {
    return function (err) {
      say(`Failed: ${err.message}`, 'error', near);
    };
  }

  // ---- open / close -------------------------------------------------------------------------

  function setOpen(open) {
    body.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'QA ▾' : 'QA ▸';
    localStorage.setItem(OPEN_KEY, open ? '1' : '0');
  }
  toggle.addEventListener('click', function () {
    setOpen(body.hidden);
  });
  setOpen(localStorage.getItem(OPEN_KEY) === '1');

  // ---- widget config ------------------------------------------------------------------------

  function selectedApp() {
    var key = appSelect.value;
    for (var i = 0; i < apps.length; i++) if (apps[i].key === key) return apps[i];
    return null;
  }

  function fillApps(list) {
    apps = list;
    var saved = loadSaved();
    var current = appSelect.value || saved.app || 'demo-chat';
    while (appSelect.firstChild) appSelect.removeChild(appSelect.firstChild);
    list.forEach(function (app) {
      var option = document.createElement('option');
      option.value = app.key;
      option.textContent = `${app.key} (${app.mode}, ${app.era})${app.code !== app.key ? ` → ${app.code}` : ''}${app.enable_site ? '' : ' [site off]'}`;
      appSelect.appendChild(option);
    });
    appSelect.value = current;
    var app = selectedApp();
    var token = window.difyChatbotConfig?.token || '';
    $('qa-app-code').textContent = app
      ? `Live code: ${app.code}${token && token !== app.code ? ` (the widget on this page uses "${token}")` : ''}`
      : '';
  }

  function restoreConfigForm() {
    var saved = loadSaved();
    var f = configForm.elements;
    f.script.value = saved.script || '/embed.min.js';
    f.draggable.checked = !!saved.draggable;
    f.dragAxis.value = saved.dragAxis || 'both';
    f.inputs.value = saved.inputs || '';
    f.systemVariables.value = saved.systemVariables || '';
    f.userVariables.value = saved.userVariables || '';
  }

  function validJson(text, label) {
    if (!text.trim()) return true;
    try {
      JSON.parse(text);
      return true;
    } catch (err) {
      say(`${label} is not valid JSON: ${err.message}`, 'error', configForm);
      return false;
    }
  }

  configForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var f = configForm.elements;
    if (
      !validJson(f.inputs.value, 'inputs') ||
      !validJson(f.systemVariables.value, 'systemVariables') ||
      !validJson(f.userVariables.value, 'userVariables')
    )
      return;
    var app = selectedApp();
    var next = {
      app: appSelect.value,
      token: app ? app.code : appSelect.value,
      script: f.script.value,
      draggable: f.draggable.checked,
      dragAxis: f.dragAxis.value,
      inputs: f.inputs.value,
      systemVariables: f.systemVariables.value,
      userVariables: f.userVariables.value,
    };
    localStorage.setItem(KEY, JSON.stringify(next));
    location.reload();
  });

  $('qa-clear-storage').addEventListener('click', function () {
    var keep = {};
    [KEY, OPEN_KEY].forEach(function (k) {
      keep[k] = localStorage.getItem(k);
    });
    localStorage.clear();
    sessionStorage.clear();
    Object.keys(keep).forEach(function (k) {
      if (keep[k] !== null) localStorage.setItem(k, keep[k]);
    });
    location.reload();
  });

  // ---- faults -------------------------------------------------------------------------------

  $('qa-faults').addEventListener('click', function (event) {
    var button = event.target.closest('button[data-fault]');
    if (!button) return;
    var spec = JSON.parse(button.getAttribute('data-fault'));
    api('POST', '/faults', spec)
      .then(function () {
        say(`Queued "${button.textContent}" for the next request.`, 'ok', button);
        refresh();
      })
      .catch(failNear(button));
  });

  $('qa-clear-faults').addEventListener('click', function (event) {
    var button = event.currentTarget;
    api('DELETE', '/faults')
      .then(function () {
        say('Faults cleared.', 'ok', button);
        refresh();
      })
      .catch(failNear(button));
  });

  function showFaults(state) {
    var queued = state.faults.length;
    $('qa-queued').textContent = queued
      ? `${queued} queued: ${state.faults
          .map(function (f) {
            return f.kind;
          })
          .join(', ')}`
      : 'none queued';
    var log = $('qa-consumed');
    while (log.firstChild) log.removeChild(log.firstChild);
    state.consumedFaults
      .slice(-5)
      .reverse()
      .forEach(function (f) {
        var item = document.createElement('li');
        item.textContent = `${f.at.slice(11, 19)} ${f.kind} → ${f.method} ${f.path}`;
        log.appendChild(item);
      });
  }

  // ---- deployment ---------------------------------------------------------------------------

  function appAction(payload, message, button) {
    var app = selectedApp();
    if (!app) return;
    api('POST', `/apps/${encodeURIComponent(app.key)}`, payload)
      .then(function (data) {
        say(message(data.app), 'ok', button);
        refresh();
      })
      .catch(failNear(button));
  }
  $('qa-site-off').addEventListener('click', function (event) {
    appAction(
      { enable_site: false },
      function (a) {
        return `Site of ${a.key} disabled.`;
      },
      event.currentTarget,
    );
  });
  $('qa-site-on').addEventListener('click', function (event) {
    appAction(
      { enable_site: true },
      function (a) {
        return `Site of ${a.key} enabled.`;
      },
      event.currentTarget,
    );
  });
  $('qa-regenerate').addEventListener('click', function (event) {
    appAction(
      { regenerate_code: true },
      function (a) {
        return `New code for ${a.key}: ${a.code}. "Apply & reload" to use it.`;
      },
      event.currentTarget,
    );
  });
  $('qa-rotate').addEventListener('click', function (event) {
    var button = event.currentTarget;
    api('POST', '/rotate-secret')
      .then(function () {
        say('Secret rotated: every passport is now invalid.', 'ok', button);
      })
      .catch(failNear(button));
  });

  // ---- mock settings ------------------------------------------------------------------------

  function showSettings(s) {
    var f = settingsForm.elements;
    f.legacyJson.checked = s.legacyJson;
    f.splitChunks.checked = s.splitChunks;
    f.chatflowOrder.value = s.chatflowOrder;
    f.concurrencyErrorStyle.value = s.concurrencyErrorStyle;
    if (document.activeElement !== f.tokenDelayMs) f.tokenDelayMs.value = s.tokenDelayMs;
    if (document.activeElement !== f.pingIntervalMs) f.pingIntervalMs.value = s.pingIntervalMs;
  }

  settingsForm.addEventListener('submit', function (event) {
    event.preventDefault();
  });
  settingsForm.addEventListener('change', function (event) {
    var el = event.target;
    var patch = {};
    if (el.type === 'checkbox') patch[el.name] = el.checked;
    else if (el.type === 'number') {
      if (el.value === '') return;
      patch[el.name] = Number(el.value);
    } else patch[el.name] = el.value;
    api('POST', '/settings', patch)
      .then(function (data) {
        showSettings(data.settings);
        say(`Setting ${el.name} = ${JSON.stringify(patch[el.name])}.`, 'ok', el);
      })
      .catch(failNear(el));
  });

  $('qa-reset').addEventListener('click', function (event) {
    var button = event.currentTarget;
    api('POST', '/reset')
      .then(function () {
        say('Mock reset: faults, settings, apps and conversations.', 'ok', button);
        refresh();
      })
      .catch(failNear(button));
  });

  // ---- state polling ------------------------------------------------------------------------

  function refresh() {
    return api('GET', '/state')
      .then(function (state) {
        fillApps(state.apps);
        showFaults(state);
        showSettings(state.settings);
        // qa-eras.js (the per-app Dify version switch) renders from the same state.
        panel.dispatchEvent(new CustomEvent('qa:state', { detail: state }));
      })
      .catch(function (err) {
        say(`Mock server not reachable: ${err.message}`, 'error');
      });
  }

  appSelect.addEventListener('change', function () {
    fillApps(apps);
  });
  panel.addEventListener('qa:refresh', function () {
    refresh();
  });
  restoreConfigForm();
  appSelect.value = loadSaved().app || 'demo-chat';
  refresh();
  setInterval(function () {
    if (!body.hidden && document.visibilityState === 'visible') refresh();
  }, 3000);
  panel.setAttribute('data-ready', 'true');
})();
