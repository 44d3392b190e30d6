/*
 * Dashboard front end (jQuery). Only calls the dashboard's own /api routes; the storage
 * account is reached server-side. The success/error keys below are jQuery options.
 */
(function ($) {
  'use strict';

  function widget(id, url, render) {
    var $box = $('#' + id).addClass('loading');
    $.ajax({
      url: url,
      dataType: 'json',
      success: function (data) {
        $box.removeClass('loading');
        if (data.success) {
          render($box, data.results);
        } else {
          $box.addClass('failed').find('.msg').text(data.error.message);
        }
      },
      error: function (xhr, status, error) {
        $box.removeClass('loading').addClass('failed').find('.msg').text(error || status);
      }
    });
  }

  function renderQuota($box, q) {
    var pct = Math.round((100 * q.used) / q.limit);
    $box.find('.bar').css('width', pct + '%');
    $box.find('.msg').text(pct + '% used, ' + q.users + ' users');
  }

  function renderUploads($box, rows) {
    var $ul = $box.find('ul').empty();
    $.each(rows, function (i, r) {
      $ul.append($('<li>').text(r.name + ' - ' + r.when));
    });
  }

  function renderShares($box, s) {
    $box.find('.msg').text(s.activeShares + ' active, ' + s.expiringSoon + ' expiring this week');
  }

  $(function () {
    widget('quota', '/api/dashboard/quota', renderQuota);
    widget('uploads', '/api/dashboard/uploads', renderUploads);
    widget('shares', '/api/dashboard/shares', renderShares);

    $('#new-share').on('submit', function (e) {
      e.preventDefault();
      $.post('/api/dashboard/shares', $(this).serialize())
        .done(function (res) { $('#share-link').val(res.results.url).select(); })
        .fail(function () { alert('Could not create the link'); });
    });

    $('#users').on('click', '.remind', function () {
      var username = $(this).data('username');
      $.ajax({
        url: '/api/dashboard/users/' + encodeURIComponent(username) + '/remind',
        type: 'POST',
        success: function () { $('#toast').text('Reminder sent to ' + username).fadeIn(); },
        error: function () { $('#toast').text('Reminder failed').fadeIn(); }
      });
    });
  });
})(jQuery);
