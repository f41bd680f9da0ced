/*
 * The Restore panel, enhanced (everything works without it; the server
 * checks every value again):
 * - a dot of the time line chooses its restore point;
 * - the target fieldsets follow the "Restore to" choice;
 * - the size hint and minimum follow the chosen restore point, and existing
 *   volumes too small for it are disabled; the size filled in before the
 *   form was shown follows the point too, a size the user typed never
 *   changes (the server refuses one too small, saying the minimum);
 * - the overwrite confirmation names the chosen volume and is bound to it
 *   (its value is the volume's id, which the server compares);
 * - the whole-instance form shows the new server's fields and the boot
 *   volume only when a new server is the target;
 * - the progress pages refresh themselves while the restore runs.
 */
(function ($) {
  'use strict';

  function chosenSize($form) {
    var $point = $form.find('input[name=backup_id]:checked');
    return parseInt($point.data('size'), 10) || 0;
  }

  function sync($form) {
    var target = $form.find('input[name=target]:checked').val() || 'new';
    $form.find('#restore_new').toggle(target === 'new');
    $form.find('#restore_existing').toggle(target === 'existing');

    var size = chosenSize($form);
    var $size = $form.find('input[name=size]');
    if (size) {
      $size.attr('min', size);
      // The size filled in for the previous point (still untouched) is
      // filled in again for this one, as the server fills it in.
      var filled = String(Math.max(size,
        parseInt($form.data('source-size'), 10) || 0));
      var previous = $size.data('filled');
      if (previous !== undefined && $size.val() === previous) {
        $size.val(filled);
      }
      $size.data('filled', filled);
      var $hint = $form.find('.backup-restore-size-hint');
      $hint.text(interpolate(
        gettext('From %(min)s GB (the size of the backup) to %(max)s GB.'),
        {min: size, max: $hint.data('max')}, true));
    }
    $form.find('select[name=volume_id] option[data-size]').each(function () {
      var $opt = $(this);
      var tooSmall = (parseInt($opt.data('size'), 10) || 0) < size;
      var busy = $opt.data('status') !== 'available';
      $opt.prop('disabled', tooSmall || busy);
    });

    var $volume = $form.find('select[name=volume_id] option:selected');
    var $confirm = $form.find('#restore_confirm');
    var $box = $confirm.find('input[name=confirm_overwrite]');
    if ($volume.val()) {
      if ($box.val() !== $volume.val()) { $box.prop('checked', false); }
      $box.val($volume.val());
      $confirm.find('.backup-restore-confirm-text').text(
        interpolate(gettext('Overwrite all data on volume %(name)s ' +
                            '(%(size)s GB) with this backup'),
                    {name: $volume.data('name'), size: $volume.data('size')},
                    true));
      $confirm.show();
    } else {
      $confirm.toggle($box.is(':checked') || $confirm.hasClass('has-error'));
    }
    $form.find('.backup-restore-point').each(function () {
      var $li = $(this);
      $li.toggleClass('is-selected',
                      $li.find('input[name=backup_id]').is(':checked'));
    });
    var chosen = $form.find('input[name=backup_id]:checked').val();
    $form.find('#restore_timeline .backup-restore-node').each(function () {
      // classList: SVG elements, whatever jQuery's version.
      this.classList.toggle('is-selected',
                            this.getAttribute('data-backup-id') === chosen);
    });
  }

  // A dot of the time line chooses its restore point.
  $(document).on('click', '#restore_timeline .backup-restore-node',
    function () {
      var $radio = $('#backup-' + this.getAttribute('data-backup-id'));
      if ($radio.length && !$radio.prop('disabled')) {
        $radio.prop('checked', true).trigger('change');
      }
    });

  $(document).on('change', '.backup-restore-form input, .backup-restore-form select',
    function () { sync($(this).closest('.backup-restore-form')); });

  // The whole-instance form: the new server's fields and the boot volume's
  // row count only when a new server is the target (the server ignores
  // them otherwise).
  function syncWhole($form) {
    var newServer = ($form.find('input[name=target]:checked').val() ||
                     'new_server') === 'new_server';
    $form.find('.backup-point-new-server').toggle(newServer);
    $form.find('tr[data-boot=true]').toggle(newServer);
  }

  $(document).on('change', '#restore_point_form input[name=target]',
    function () { syncWhole($(this).closest('form')); });

  function poll($progress) {
    if ($progress.data('running') !== true) { return; }
    window.setTimeout(function () {
      $.ajax({url: window.location.pathname, cache: false})
        .done(function (html) {
          // Exactly the one element, whatever else the answer holds.
          var $fresh = $('<div>').append($.parseHTML(html))
            .find('#restore_progress').first();
          if (!$fresh.length) { return poll($progress); }
          $progress.replaceWith($fresh);
          poll($fresh);
        })
        .fail(function () { poll($progress); });
    }, 3000);
  }

  $(function () {
    $('.backup-restore-form').each(function () { sync($(this)); });
    $('#restore_progress').each(function () { poll($(this)); });
    $('#restore_point_form').each(function () { syncWhole($(this)); });
  });
}(jQuery));
