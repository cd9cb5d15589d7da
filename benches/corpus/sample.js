// A debounced search box with a small cache, for the render benchmark.
'use strict';

const cache = new Map();
const MAX_ENTRIES = 100;

function debounce(fn, wait = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), wait);
  };
}

async function search(query) {
  if (cache.has(query)) {
    return cache.get(query);
  }
  const response = await fetch(`/api/search?q=${encodeURIComponent(query)}`, {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) {
    throw new Error(`search failed: ${response.status}`);
  }
  const results = await response.json();
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value);
  }
  cache.set(query, results);
  return results;
}

document.addEventListener('DOMContentLoaded', () => {
  const input = document.querySelector('#q');
  const list = document.querySelector('#results');
  input.addEventListener('input', debounce(async (event) => {
    const query = event.target.value.trim();
    if (query.length < 2) { list.replaceChildren(); return; }
    try {
      const results = await search(query);
      list.replaceChildren(...results.map(({ title, url }) => {
        const li = document.createElement('li');
        const a = Object.assign(document.createElement('a'), { href: url, textContent: title });
        li.append(a);
        return li;
      }));
    } catch (e) {
      console.error(e);
      list.textContent = /network/i.test(e.message) ? 'offline' : 'error';
    }
  }));
});
