// Paperboy search enhancements. The pages work without this file; with it:
// - the header's search box suggests matching paper titles as you type;
// - the search page updates its results as you type or change a filter.
(function () {
  'use strict';

  function debounce(fn, ms) {
    var timer = 0;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /** Fetches the newest request only: a slower, older answer never overwrites a newer one. */
  function latestFetcher() {
    var controller = null;
    return function (url) {
      if (controller) controller.abort();
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      return fetch(url, { headers: { Accept: 'text/html, application/json' }, signal: controller ? controller.signal : undefined });
    };
  }

  function formQuery(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === 'string' && value.trim() !== '') params.append(key, value);
    });
    return params;
  }

  // ---- Suggestions under the header search box ----
  function setUpSuggestions(input) {
    var form = input.form;
    var list = document.createElement('ul');
    list.id = input.id + '-suggestions';
    list.className = 'search-suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Matching papers');
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    var get = latestFetcher();
    var active = -1;

    function options() { return list.querySelectorAll('[role="option"]'); }
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function mark(i) {
      var opts = options();
      if (opts.length === 0) return;
      active = (i + opts.length) % opts.length;
      for (var j = 0; j < opts.length; j++) opts[j].setAttribute('aria-selected', j === active ? 'true' : 'false');
      input.setAttribute('aria-activedescendant', opts[active].id);
    }
    function show(items) {
      list.textContent = '';
      items.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        var a = document.createElement('a');
        a.href = item.url;
        a.textContent = item.title;
        a.tabIndex = -1;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
      active = -1;
    }
    var suggest = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) return close();
      get('/papers/search/suggest?q=' + encodeURIComponent(q))
        .then(function (res) { return res.ok ? res.json() : []; })
        .then(show)
        .catch(function () { /* aborted or offline: the form still works */ });
    }, 200);

    input.addEventListener('input', suggest);
    input.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') { e.preventDefault(); mark(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active - 1); }
      else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        window.location.href = options()[active].querySelector('a').href;
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }

  // ---- Results as you type on the search page ----
  function setUpLiveSearch(form) {
    var results = document.getElementById('search-results');
    if (!results) return;
    var heading = document.querySelector('main h1');
    var get = latestFetcher();

    function showHeading(q) {
      if (!heading || form.querySelector('input[name="like"]')) return;
      heading.textContent = '';
      if (!q) { heading.textContent = 'Search papers'; return; }
      var kicker = document.createElement('span');
      kicker.className = 'kicker';
      kicker.textContent = 'Search';
      var quote = document.createElement('q');
      quote.textContent = q;
      heading.appendChild(kicker);
      heading.appendChild(document.createTextNode(' '));
      heading.appendChild(quote);
    }

    function refresh(typing) {
      var params = formQuery(form);
      var shown = params.toString();
      if (typing) params.set('prefix', '1');
      results.setAttribute('aria-busy', 'true');
      get('/papers/search/results?' + params.toString())
        .then(function (res) {
          return res.text().then(function (text) {
            if (res.ok) return text;
            var doc = new DOMParser().parseFromString(text, 'text/html');
            var message = doc.querySelector('.error-message');
            var p = document.createElement('p');
            p.className = 'search-status search-error';
            p.setAttribute('role', 'status');
            p.textContent = 'The search could not run: ' + (message ? message.textContent : 'error ' + res.status);
            return p.outerHTML;
          });
        })
        .then(function (markup) {
          results.innerHTML = markup;
          results.removeAttribute('aria-busy');
          showHeading((form.elements.namedItem('q') || {}).value || '');
          history.replaceState(null, '', '/papers/search' + (shown ? '?' + shown : ''));
        })
        .catch(function () { results.removeAttribute('aria-busy'); });
    }

    var typed = debounce(function () { refresh(true); }, 250);
    form.addEventListener('input', function (e) {
      if (e.target && e.target.name === 'q') typed();
    });
    form.addEventListener('change', function (e) {
      if (e.target && e.target.name !== 'q') refresh(false);
    });
  }

  function start() {
    var boxes = document.querySelectorAll('input[data-suggest]');
    for (var i = 0; i < boxes.length; i++) setUpSuggestions(boxes[i]);
    var live = document.querySelector('form[data-live-search]');
    if (live) setUpLiveSearch(live);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
