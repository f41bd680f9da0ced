/*
 * Live preview in the backup schedule form: whenever a field that decides
 * when the schedule runs changes, ask the server (which owns all time
 * logic) for the schedule in words, its next runs in its own zone, the
 * viewer's and UTC, and what the zone's next clock change does to it.
 * Delegated from the document so it works for forms loaded into modals.
 */
(function ($) {
  'use strict';
  var FIELDS = 'select[name=kind], input[name=minute], input[name=hour], ' +
    'select[name=weekday], input[name=day], input[name=cron], ' +
    'select[name=timezone]';
  var pending = null;

  function render($form, data) {
    var $preview = $form.find('.schedule-preview');
    var $rows = $preview.find('.schedule-preview-runs tbody').empty();
    var viewer = data.ok && data.viewer_zone;
    $preview.find('.schedule-preview-error').text(data.ok ? '' : data.error);
    $preview.find('.schedule-preview-words').text(data.ok ? data.words : '');
    $preview.find('.schedule-preview-own').text(
      data.ok ? gettext("Schedule's time") + ' (' + data.zone + ')' : '');
    $preview.find('.schedule-preview-viewer').toggle(!!viewer)
      .text(viewer ? gettext('Your time') + ' (' + viewer + ')' : '');
    $preview.find('.schedule-preview-note').text(data.dst_note || '');
    $preview.find('.schedule-preview-trigger').text(data.ok ?
      interpolate(gettext('Mistral will hold it as a cron trigger on ' +
        '"%s" (UTC).'), [data.trigger_pattern]) : '');
    (data.runs || []).forEach(function (run) {
      var $row = $('<tr>').append($('<td>').text(run.own));
      if (viewer) { $row.append($('<td>').text(run.viewer)); }
      $row.append($('<td>').text(run.utc)).appendTo($rows);
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
