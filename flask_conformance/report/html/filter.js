(function () {
  var form = document.getElementById('filters');
  var boxes = form.querySelectorAll('input[name=status]');
  var tag = document.getElementById('tag-filter');
  var count = document.getElementById('filter-count');
  function apply() {
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.value] = b.checked; });
    var shown = 0;
    document.querySelectorAll('details.scenario').forEach(function (s) {
      var ok = wanted[s.dataset.status] && (!tag.value || s.dataset.tags.split(' ').indexOf(tag.value) >= 0);
      s.hidden = !ok; if (ok) { shown += 1; }
    });
    document.querySelectorAll('section.feature').forEach(function (f) {
      f.hidden = !f.querySelector('details.scenario:not([hidden])');
    });
    count.textContent = shown + ' scenario runs shown';
    document.body.dataset.shown = String(shown);
  }
  var hash = decodeURIComponent(location.hash || '');
  if (hash.indexOf('#filter?') === 0) {
    hash.slice(8).split('&').forEach(function (pair) {
      var kv = pair.split('='); var values = (kv[1] || '').split(',');
      if (kv[0] === 'status') { boxes.forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; }); }
      if (kv[0] === 'tag') { tag.value = kv[1] || ''; }
    });
  }
  form.addEventListener('change', apply);
  if (hash.indexOf('#filter?') === 0) { apply(); document.getElementById('scenarios').scrollIntoView(); }
  form.addEventListener('submit', function (e) {
    e.preventDefault(); apply(); count.setAttribute('tabindex', '-1'); count.focus();
  });
  apply();
})();
