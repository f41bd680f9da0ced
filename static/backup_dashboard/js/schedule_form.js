/*
 * Live preview in the backup schedule form: whenever a field that decides
 * when the schedule runs changes, ask the server (which owns the cron and
 * time-zone logic) for the UTC pattern and the next runs, and show them.
 * Delegated from the document so it works for forms loaded into modals.
 */
(function ($) {
  'use strict';
  var FIELDS = 'select[name=kind], input[name=minute], input[name=hour], ' +
    'select[name=weekday], input[name=day], input[name=cron]';
  var pending = null;

  function render($form, data) {
    var $preview = $form.find('.schedule-preview');
    var $rows = $preview.find('.schedule-preview-runs tbody').empty();
    $preview.find('.schedule-preview-error').text(data.ok ? '' : data.error);
    $preview.find('.schedule-preview-words').text(
      data.ok ? data.words + ' \u2014 cron (UTC): ' + data.pattern : '');
    $preview.find('.schedule-preview-note').text(data.dst_note || '');
    (data.runs || []).forEach(function (run) {
      $('<tr>').append($('<td>').text(run.local), $('<td>').text(run.utc))
        .appendTo($rows);
    });
  }

  function refresh($form) {
    var url = $form.data('preview-url');
    if (!url) { return; }
    var query = $form.find(FIELDS).serialize();
    if (pending) { pending.abort(); }
    pending = $.getJSON(url, query).done(function (data) {
      render($form, data);
    });
  }

  $(document).on('change keyup', '.backup-schedule-form ' + FIELDS,
    function () { refresh($(this).closest('.backup-schedule-form')); });
  $(document).on('shown.bs.modal', '.modal', function () {
    $(this).find('.backup-schedule-form').each(function () {
      refresh($(this));
    });
  });
  $(function () {
    $('.backup-schedule-form').each(function () { refresh($(this)); });
  });
}(jQuery));
