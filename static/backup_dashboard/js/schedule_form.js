/*
 * Live preview in the backup schedule form: whenever a field that decides
 * when the schedule runs changes, ask the server (which owns all time
 * logic) for the schedule in words, its next runs in its own zone, the
 * viewer's and UTC, and what the zone's next clock change does to it.
 * Whenever any setting changes, a moment after the typing stops, ask it
 * too what saving does (quota forecast; on an edit, the backups the next
 * run deletes), rendered by the server as HTML.
 * Delegated from the document so it works for forms loaded into modals.
 */
(function ($) {
  'use strict';
  var FIELDS = 'select[name=kind], input[name=minute], input[name=hour], ' +
    'select[name=weekday], input[name=day], input[name=cron], ' +
    'select[name=timezone]';
  var SETTINGS = FIELDS + ', input[name=name], select[name=mode], ' +
    'input[name=max_full], input[name=max_incremental], ' +
    'input[name=keep_days], select[name=drill], input[name=drill_sample], ' +
    'input[name=drill_keep]';
  // Each look at the consequences costs the cloud several calls.
  var DEBOUNCE_MS = 500;
  var pending = null;
  var consequences = {request: null, timer: null, query: null};

  function render($form, data) {
    var $preview = $form.find('.schedule-preview');
    var $rows = $preview.find('.schedule-preview-runs tbody').empty();
    var viewer = data.ok && data.viewer_zone;
    $preview.find('.schedule-preview-error').text(data.ok ? '' : data.error);
    $preview.find('.schedule-preview-words').text(data.ok ? data.words : '');
    $preview.find('.schedule-preview-own').text(data.ok ? interpolate(
      gettext("Schedule's time (%(zone)s)"), {zone: data.zone}, true) : '');
    $preview.find('.schedule-preview-viewer').toggle(!!viewer)
      .text(viewer ? interpolate(gettext('Your time (%(zone)s)'),
                                 {zone: viewer}, true) : '');
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

  // The server renders the fragment (escaped by Django's templates); an
  // error keeps the last good one and says why beside it.
  function showConsequences($form, data) {
    $form.find('.schedule-consequences-error').text(data.ok ? '' : data.error);
    if (data.ok) { $form.find('.schedule-consequences').html(data.html); }
  }

  function lookNow($form) {
    var url = $form.data('consequences-url');
    if (!url) { return; }
    var query = $form.find(SETTINGS).serialize();
    if (query === consequences.query) { return; }
    consequences.query = query;
    if (consequences.request) { consequences.request.abort(); }
    consequences.request = $.getJSON(url, query).done(function (data) {
      showConsequences($form, data);
    }).fail(function (xhr, status) {
      if (status === 'abort') { return; }
      consequences.query = null;
      showConsequences($form, {ok: false, error: gettext(
        'What saving does could not be worked out just now.')});
    });
  }

  function look($form) {
    clearTimeout(consequences.timer);
    consequences.timer = setTimeout(function () { lookNow($form); },
      DEBOUNCE_MS);
  }

  function start($form) {
    consequences.query = null;
    refresh($form);
    lookNow($form);
  }

  $(document).on('change keyup', '.backup-schedule-form ' + FIELDS,
    function () { refresh($(this).closest('.backup-schedule-form')); });
  $(document).on('change keyup input', '.backup-schedule-form ' + SETTINGS,
    function () { look($(this).closest('.backup-schedule-form')); });
  $(document).on('shown.bs.modal', '.modal', function () {
    $(this).find('.backup-schedule-form').each(function () {
      start($(this));
    });
  });
  $(function () {
    $('.backup-schedule-form').each(function () { start($(this)); });
  });
}(jQuery));
