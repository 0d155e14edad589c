// The mock console page: a thin client of /console/api/apps. Server text reaches the page only
// through textContent and form values, never as HTML.
(function () {
  const $ = (id) => document.getElementById(id);
  const status = $('status');
  let secret = sessionStorage.getItem('mock-console-secret') || '';
  let current = null;

  function say(text, kind) {
    status.textContent = text;
    status.dataset.kind = kind || 'ok';
  }

  async function api(method, path, body) {
    const res = await fetch(`/console/api/apps${path}`, {
      method,
      headers: { Authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new Error(data?.message || `HTTP ${res.status}`);
    return data;
  }

  /** Runs an action and reports its outcome in the status line. */
  async function act(done, action) {
    try {
      await action();
      if (done) say(done, 'ok');
    } catch (err) {
      say(err.message, 'error');
    }
  }

  const time = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString() : 'never');

  function cell(row, content) {
    const td = document.createElement('td');
    if (content instanceof Node) td.append(content);
    else td.textContent = content;
    row.append(td);
    return td;
  }

  function button(label, onClick, className) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (className) b.className = className;
    b.addEventListener('click', onClick);
    return b;
  }

  async function loadApps() {
    const { data } = await api('GET', '');
    const body = $('apps');
    body.replaceChildren();
    for (const app of data) {
      const row = document.createElement('tr');
      if (current && current.id === app.id) row.setAttribute('aria-current', 'true');
      cell(row, app.name);
      cell(row, app.mode);
      const code = document.createElement('code');
      code.textContent = app.site_code;
      cell(row, code);
      cell(row, app.enable_site ? 'on' : 'off');
      cell(row, app.enable_api ? 'on' : 'off');
      cell(
        row,
        button(`Manage ${app.name}`, () => act('', () => openApp(app.id, true))),
      );
      body.append(row);
    }
    $('apps-section').hidden = false;
  }

  async function loadKeys() {
    const { data } = await api('GET', `/${current.id}/api-keys`);
    const body = $('keys');
    body.replaceChildren();
    for (const key of data) {
      const row = document.createElement('tr');
      const code = document.createElement('code');
      code.textContent = key.token;
      cell(row, code);
      cell(row, time(key.created_at));
      cell(row, time(key.last_used_at));
      cell(
        row,
        button(
          `Delete key ${key.token}`,
          () =>
            act(`Key ${key.token} deleted; it stopped working at once.`, async () => {
              await api('DELETE', `/${current.id}/api-keys/${key.id}`);
              await loadKeys();
            }),
          'danger',
        ),
      );
      body.append(row);
    }
  }

  async function openApp(id, focus) {
    current = await api('GET', `/${id}`);
    $('app-title').textContent = `${current.name} (${current.mode})`;
    $('app-id').textContent = current.id;
    $('app-code').textContent = current.site.code;
    $('enable-site').checked = current.enable_site;
    $('enable-api').checked = current.enable_api;
    $('site-title').value = current.site.title || '';
    $('site-color').value = current.site.chat_color_theme || '';
    $('per-minute').value = current.rate_limit.per_minute;
    $('per-hour').value = current.rate_limit.per_hour;
    $('new-key').hidden = true;
    $('app-section').hidden = false;
    await loadKeys();
    await loadApps();
    if (focus) $('app-title').focus();
  }

  $('connect').addEventListener('submit', (event) => {
    event.preventDefault();
    secret = $('secret').value.trim();
    act('Connected.', async () => {
      await loadApps();
      sessionStorage.setItem('mock-console-secret', secret);
    });
  });

  $('create-app').addEventListener('submit', (event) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    act('App created.', async () => {
      const app = await api('POST', '', { name: form.get('name'), mode: form.get('mode') });
      formElement.reset();
      await openApp(app.id, true);
    });
  });

  $('enable-site').addEventListener('change', (event) => {
    const on = event.target.checked;
    act(on ? 'Site enabled.' : 'Site disabled: the embed and the web app stop at once.', async () => {
      await api('POST', `/${current.id}/site-enable`, { enable_site: on });
      await openApp(current.id);
    });
  });
  $('enable-api').addEventListener('change', (event) => {
    const on = event.target.checked;
    act(on ? 'API enabled.' : 'API disabled: every /v1 call is refused.', async () => {
      await api('POST', `/${current.id}/api-enable`, { enable_api: on });
      await openApp(current.id);
    });
  });
  $('reset-code').addEventListener('click', () =>
    act('New site token: the old one stopped working, and pages embedding it must be updated.', async () => {
      await api('POST', `/${current.id}/site/access-token-reset`);
      await openApp(current.id);
    }),
  );
  $('site-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act('Site settings saved.', async () => {
      await api('POST', `/${current.id}/site`, { title: $('site-title').value, chat_color_theme: $('site-color').value || null });
      await openApp(current.id);
    });
  });
  $('limit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    act('Limits saved; the counts start afresh.', async () => {
      await api('POST', `/${current.id}/rate-limit`, { per_minute: Number($('per-minute').value), per_hour: Number($('per-hour').value) });
    });
  });
  $('create-key').addEventListener('click', () =>
    act('Key created. Copy it now.', async () => {
      const key = await api('POST', `/${current.id}/api-keys`);
      $('new-key-value').textContent = key.token;
      $('new-key').hidden = false;
      $('copy-key').focus();
      await loadKeys();
    }),
  );
  $('copy-key').addEventListener('click', () => act('Copied.', () => navigator.clipboard.writeText($('new-key-value').textContent)));
  $('delete-app').addEventListener('click', () => {
    if (!window.confirm(`Delete ${current.name}? Its site, keys and passports stop working.`)) return;
    act('App deleted.', async () => {
      await api('DELETE', `/${current.id}`);
      current = null;
      $('app-section').hidden = true;
      await loadApps();
      $('apps-title').focus();
    });
  });

  if (secret) {
    $('secret').value = secret;
    act('', loadApps);
  }
})();
