/* sgconsole: forms */
'use strict';
(() => {
  // The cluster create form switches networks in place: the chosen network's fields show and are
  // sent, the other's are hidden and disabled (so a mix can't be sent). The address and the form's
  // _return follow the choice, so a reload or a failed submit comes back to the same network.
  function showNetwork(form, network) {
    form.querySelectorAll('[data-network-fields]').forEach((set) => {
      const on = set.dataset.networkFields === network;
      set.hidden = !on;
      set.disabled = !on;
    });
    const url = new URL(window.location.href);
    url.searchParams.set('network', network);
    url.searchParams.delete('change');
    const path = url.pathname + url.search;
    history.replaceState(history.state, '', path);
    const back = form.querySelector('input[name="_return"]');
    if (back) back.value = path;
  }
  // After a failed submit app.js focuses the first invalid text field; an error on a group of
  // choices (cache security groups, the network) gets focus on its first choice instead.
  if (!document.querySelector('.input--invalid')) {
    const error = document.querySelector('form .form-field__error');
    const group = error && error.closest('fieldset, .form-field');
    const first = group && Array.from(group.querySelectorAll('input:not([type="hidden"]), select'))
      .find((el) => !el.disabled && el.getClientRects().length > 0);
    if (first) first.focus();
  }

  // The restore form lists every VPC's security groups (without JavaScript the chosen subnet group
  // is known only on submit); here only the chosen subnet group's VPC's show, the others are
  // hidden, unticked and not sent.
  function showVPCChoices(select) {
    const option = select.options[select.selectedIndex];
    const vpc = option ? option.dataset.vpc || '' : '';
    select.form.querySelectorAll('[data-vpc-choice]').forEach((choice) => {
      const on = vpc === '' || choice.dataset.vpcChoice === vpc;
      choice.hidden = !on;
      choice.querySelectorAll('input').forEach((input) => {
        input.disabled = !on;
        if (!on) input.checked = false;
      });
    });
  }
  document.querySelectorAll('select[data-vpc-select]').forEach(showVPCChoices);
  document.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement && event.target.hasAttribute('data-vpc-select')) showVPCChoices(event.target);
  });

  document.addEventListener('change', (event) => {
    const radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.name !== 'network' || !radio.checked) return;
    const form = radio.closest('form[data-network-form]');
    if (form) showNetwork(form, radio.value);
  });
})();
