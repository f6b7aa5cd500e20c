// The agency's page at /S: opens a share link in this browser.
//
// The link's secret is in the address's fragment, which browsers never send
// to a server. This script reads the address once, removes the fragment from
// the address bar and the history before anything else happens, and then
// lets the WebAssembly build of vault-core do every check: the request body
// (redeemBody), and what the relay answered (openAnswer). This script only
// moves bytes and shows words; it decides nothing about what is genuine.
//
// Every text shown comes in through textContent, never as HTML. The agency's
// key, if one is loaded, lives in one variable and is freed (zeroized by the
// wasm side) when the page is left; nothing is stored in the browser.
//
// A classic script (not a module), loaded after pkg/vault_web.js, which
// defines the global `wasm_bindgen`.
(function () {
  'use strict';

  // Read the address once, then take the secret out of the address bar and
  // of this history entry, before any request is made.
  var href = String(window.location.href);
  window.history.replaceState(null, '', '/S');
  performance.mark('share:start');

  var WASM_URL = '/web/pkg/vault_web_bg.wasm';
  // A relay that does not answer within this time is "status unknown".
  var REDEEM_TIME_LIMIT_MS = 180000;
  // A key file is a few hundred bytes; more than this is not one.
  var KEY_FILE_MAX = 65536;

  var STATES = ['busy', 'nothing', 'nowasm', 'problem', 'opened'];
  // Problems that may pass: the page offers to ask the relay again.
  var RETRYABLE = ['unknown', 'busy', 'rate_limited', 'clock_skew'];
  // Problems the agency's key file can solve.
  var KEYED = ['needs_key', 'wrong_audience'];

  var api = null; // the wasm bindings, once loaded
  var key = null; // the agency's key (AgencyKey), once loaded
  var objectUrls = []; // document downloads, revoked when the page is left
  var working = false;

  function $(id) {
    return document.getElementById(id);
  }

  function nowSecs() {
    return Math.floor(Date.now() / 1000);
  }

  // Shows one state, announces it, and moves focus to its heading.
  function show(name, announcement) {
    STATES.forEach(function (s) {
      $(s).hidden = s !== name;
    });
    $('live').textContent = announcement;
    var heading = $(name + '-title');
    if (heading) {
      heading.focus();
    }
  }

  // Words for when the page's own code could not be loaded, so vault-core's
  // words are not available either.
  var NOT_LOADED = {
    ok: false,
    kind: 'unknown',
    title: 'We could not confirm this code',
    message: 'Part of this page did not load, so the code could not be checked. Nothing is shown.',
    next: 'Check the connection and scan the code again in a moment, or use the agency\'s computer program.'
  };

  // Anything thrown that is not one of vault-core's Problems (which should
  // not happen) is shown as "status unknown", never as valid.
  function asProblem(e) {
    if (e && e.ok === false && typeof e.title === 'string' && typeof e.message === 'string') {
      return e;
    }
    return {
      ok: false,
      kind: 'unknown',
      title: 'We could not confirm this code',
      message: 'Something went wrong while checking it, so nothing is shown.',
      next: 'Scan the code again, or use the agency\'s computer program.'
    };
  }

  function showProblem(p) {
    $('problem-title').textContent = p.title;
    $('problem-message').textContent = p.message;
    $('problem-next').textContent = p.next || '';
    var wantsKey = KEYED.indexOf(p.kind) >= 0;
    $('retry').hidden = href === null || RETRYABLE.indexOf(p.kind) < 0;
    // Needing the key is a step, not a refusal.
    $('problem-panel').className = p.kind === 'needs_key' ? 'panel panel-info' : 'panel panel-problem';
    $('key-form').hidden = !wantsKey;
    clearKeyError();
    show('problem', p.title);
  }

  function roughSize(n) {
    if (n < 1000) {
      return n === 1 ? '1 byte' : n + ' bytes';
    }
    if (n < 1000000) {
      return Math.round(n / 1000) + ' KB';
    }
    return (n / 1000000).toFixed(1) + ' MB';
  }

  function addFact(list, name, value, className) {
    var dt = document.createElement('dt');
    dt.textContent = name;
    var dd = document.createElement('dd');
    dd.textContent = value;
    if (className) {
      dd.className = className;
    }
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function showOpened(o) {
    var fields = $('fields');
    var docs = $('docs');
    fields.textContent = '';
    docs.textContent = '';
    var texts = 0;
    var documents = 0;
    o.entries.forEach(function (e) {
      if (e.kind === 'document') {
        documents += 1;
        // The module gives the file's type only where a browser shows it
        // without running anything (vault_core::docname), else
        // application/octet-stream: the rule lives there, not here.
        var type = e.mediaType || 'application/octet-stream';
        var blob = new Blob([e.bytes], { type: type });
        // The Blob holds its own copy; this one is not needed any more.
        e.bytes.fill(0);
        var url = URL.createObjectURL(blob);
        objectUrls.push(url);
        var li = document.createElement('li');
        var name = document.createElement('span');
        name.className = 'doc-name';
        name.textContent = e.field;
        var a = document.createElement('a');
        a.className = 'button';
        a.href = url;
        a.download = e.fileName;
        a.textContent = 'Download ' + e.fileName + ' ';
        var size = document.createElement('span');
        size.className = 'nowrap';
        size.textContent = '(' + roughSize(e.size) + ')';
        a.appendChild(size);
        li.appendChild(name);
        li.appendChild(a);
        docs.appendChild(li);
      } else {
        texts += 1;
        addFact(fields, e.field, e.text, 'text');
      }
    });
    $('fields-none').hidden = texts > 0;
    fields.hidden = texts === 0;
    $('docs-none').hidden = documents > 0;
    docs.hidden = documents === 0;

    var uses = 'use ' + o.useNumber + ' of ' + o.maxUses;
    $('opened-use').textContent = uses;
    $('opened-uses').textContent = 'Use ' + o.useNumber + ' of ' + o.maxUses;
    $('opened-purpose').textContent = o.purpose;
    $('opened-expires').textContent = o.expiresText;
    $('opened-from').textContent = o.from;
    $('opened-consent').textContent = o.consentText;
    show('opened', 'Verified and confirmed by the relay.');
    performance.mark('share:shown');
  }

  // POST /v1/redeem with the body vault-core makes, then vault-core checks
  // the answer. Returns an Opened or a Problem; never throws.
  function redeem() {
    var body;
    try {
      body = api.redeemBody(href, key || undefined, nowSecs());
    } catch (e) {
      return Promise.resolve(asProblem(e));
    }
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, REDEEM_TIME_LIMIT_MS);
    return fetch('/v1/redeem', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      mode: 'same-origin',
      signal: controller.signal
    })
      .then(function (res) {
        return res.text().then(
          function (text) {
            performance.mark('share:answered');
            return api.openAnswer(href, res.status, text, key || undefined, nowSecs());
          },
          function () {
            // The answer broke off (or took too long): status unknown.
            return api.unreachable();
          }
        );
      }, function () {
        return api.unreachable();
      })
      .catch(asProblem)
      .then(function (result) {
        clearTimeout(timer);
        return result;
      });
  }

  function finish(result) {
    if (result && result.ok === true) {
      // Shown once: the secret and the key are not needed any more.
      href = null;
      dropKey();
      try {
        showOpened(result);
      } catch (e) {
        // Never half a share: nothing, and "status unknown".
        $('fields').textContent = '';
        $('docs').textContent = '';
        showProblem(asProblem(e));
      }
    } else {
      var p = asProblem(result);
      if (KEYED.indexOf(p.kind) < 0 && RETRYABLE.indexOf(p.kind) < 0) {
        // Nothing more can be done with this link on this page.
        href = null;
        dropKey();
      }
      showProblem(p);
    }
  }

  function dropKey() {
    if (key) {
      try {
        key.free();
      } catch (e) {
        // Already freed.
      }
      key = null;
    }
  }

  // --- the agency's key file ------------------------------------------

  function clearKeyError() {
    var err = $('key-error');
    err.textContent = '';
    err.hidden = true;
    $('key-pass').removeAttribute('aria-invalid');
    $('key-file').removeAttribute('aria-invalid');
  }

  function keyError(text, input) {
    var err = $('key-error');
    err.textContent = text;
    err.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    $('live').textContent = text;
  }

  function setWorking(on, label) {
    working = on;
    var button = $('key-open');
    button.disabled = on;
    button.textContent = on ? label : 'Open with this key';
  }

  // A tick for the browser to paint "Checking…" before the slow key
  // derivation runs (it blocks this thread for a moment).
  function paint() {
    return new Promise(function (resolve) {
      setTimeout(resolve, 30);
    });
  }

  function onKeySubmit(event) {
    event.preventDefault();
    if (working || !api || href === null) {
      return;
    }
    clearKeyError();
    var fileInput = $('key-file');
    var passInput = $('key-pass');
    var file = fileInput.files && fileInput.files[0];
    if (!file) {
      keyError('Choose the agency\'s key file first (it ends in .vaultkey).', fileInput);
      return;
    }
    setWorking(true, 'Opening the key…');
    file
      .slice(0, KEY_FILE_MAX)
      .arrayBuffer()
      .then(function (buf) {
        return paint().then(function () {
          var bytes = new Uint8Array(buf);
          var passphrase = passInput.value;
          passInput.value = '';
          try {
            return api.AgencyKey.load(bytes, passphrase);
          } finally {
            bytes.fill(0);
          }
        });
      })
      .then(
        function (loaded) {
          dropKey();
          key = loaded;
          setWorking(true, 'Checking the code…');
          $('live').textContent = 'Checking the code…';
          return redeem().then(function (result) {
            setWorking(false);
            finish(result);
          });
        },
        function (e) {
          setWorking(false);
          var p = asProblem(e);
          var text = p.message + (p.next ? ' ' + p.next : '');
          keyError(text, p.kind === 'bad_key_file' ? fileInput : passInput);
        }
      )
      .catch(function (e) {
        setWorking(false);
        finish(asProblem(e));
      });
  }

  function onRetry() {
    if (working || !api || href === null) {
      return;
    }
    working = true;
    show('busy', 'Checking the code…');
    redeem().then(function (result) {
      working = false;
      finish(result);
    });
  }

  // --- leaving the page ------------------------------------------------

  window.addEventListener('pagehide', function () {
    dropKey();
    objectUrls.forEach(function (u) {
      URL.revokeObjectURL(u);
    });
    objectUrls = [];
    // If the browser keeps this page to show it again on "back", it comes
    // back empty.
    $('fields').textContent = '';
    $('docs').textContent = '';
    $('opened-consent').textContent = '';
    $('opened-purpose').textContent = '';
    $('opened-from').textContent = '';
    href = null;
    STATES.forEach(function (s) {
      $(s).hidden = s !== 'nothing';
    });
  });

  // --- start -------------------------------------------------------------

  $('key-form').addEventListener('submit', onKeySubmit);
  $('retry').addEventListener('click', onRetry);

  var hash = href.indexOf('#');
  if (hash < 0 || hash === href.length - 1) {
    href = null;
    show('nothing', 'Nothing to show.');
    return;
  }

  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    href = null;
    show('nowasm', 'This page needs WebAssembly, which this browser has turned off.');
    return;
  }

  show('busy', 'Checking the code…');

  if (typeof wasm_bindgen !== 'function') {
    href = null;
    showProblem(NOT_LOADED);
    return;
  }

  var integrity = document.documentElement.getAttribute('data-wasm-integrity') || '';
  fetch(WASM_URL, {
    integrity: integrity,
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    redirect: 'error',
    mode: 'same-origin'
  })
    .then(
      function (res) {
        if (!res.ok) {
          throw NOT_LOADED;
        }
        return wasm_bindgen({ module_or_path: res }).then(
          function () {
            return true;
          },
          function () {
            // The module arrived whole but could not be started: this
            // browser does not run WebAssembly here.
            return false;
          }
        );
      },
      function () {
        throw NOT_LOADED;
      }
    )
    .then(
      function (started) {
        if (!started) {
          href = null;
          show('nowasm', 'This page needs WebAssembly, which this browser has turned off.');
          return null;
        }
        performance.mark('share:wasm');
        api = wasm_bindgen;
        try {
          api.linkInfo(href);
        } catch (e) {
          href = null;
          return asProblem(e);
        }
        return redeem();
      },
      function (e) {
        href = null;
        return e;
      }
    )
    .then(function (result) {
      if (result !== null) {
        finish(result);
      }
    });
})();
