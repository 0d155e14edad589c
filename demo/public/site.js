/* The fictional host page's own behaviour: a contact form that goes nowhere. */
(function () {
  'use strict';
  var form = document.getElementById('contact-form');
  var status = document.getElementById('contact-status');
  if (!form || !status) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var name = new FormData(form).get('name');
    status.textContent = `Thanks${name ? `, ${name}` : ''}! We will get back to you (not really — this is a demo page).`;
    form.reset();
  });
})();
