/*
 * A counter under every text field that states a limit (data-limit, set by
 * backup_dashboard/dashboards/fields.py): "12 of 53 characters", red once
 * over. The field never cuts what was typed; the form refuses it on submit.
 * Delegated from the document so it works for forms loaded into modals.
 */
(function ($) {
  'use strict';

  function count(field) {
    var $field = $(field);
    var limit = parseInt($field.attr('data-limit'), 10);
    var $counter = $field.siblings('.backup-limit');
    if (!$counter.length) {
      $counter = $('<span class="help-block backup-limit"></span>')
        .insertAfter($field);
    }
    var length = ($field.val() || '').length;
    $counter.text(interpolate(gettext('%(length)s / %(limit)s'),
                              {length: length, limit: limit}, true))
      .toggleClass('text-danger', length > limit);
  }

  $(document).on('input change', '[data-limit]', function () {
    count(this);
  });
  $(document).on('shown.bs.modal', '.modal', function () {
    $(this).find('[data-limit]').each(function () { count(this); });
  });
  $(function () {
    $('[data-limit]').each(function () { count(this); });
  });
}(jQuery));
