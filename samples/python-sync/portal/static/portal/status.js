/* Staff portal: polls the portal's own JSON views with jQuery. No storage API calls here. */
(function ($) {
  'use strict';

  var POLL_MS = 30000;

  function renderRun(run) {
    $('#last-run-started').text(run.started);
    $('#last-run-files').text(run.files);
    $('#last-run-bytes').text((run.bytes / 1048576).toFixed(1) + ' MB');
  }

  function poll() {
    $.ajax({
      url: '/portal/last-run/',
      dataType: 'json',
      cache: false,
      success: function (data) {
        $('#sync-state').toggleClass('ok', !!data.success).toggleClass('failed', !data.success);
        if (data.results) {
          renderRun(data.results);
        } else if (data.error) {
          $('#sync-state').attr('title', data.error.message);
        }
      },
      error: function (xhr, status, error) {
        $('#sync-state').addClass('unknown').attr('title', 'portal unreachable: ' + error);
      },
      complete: function () {
        setTimeout(poll, POLL_MS);
      }
    });
  }

  function signIn(form) {
    $.ajax({
      url: '/portal/sign-in/',
      method: 'POST',
      data: $(form).serialize(),
      success: function () {
        window.location.reload();
      },
      error: function (xhr) {
        var body = xhr.responseJSON || {};
        $('#login-error').text(body.error ? body.error.message : 'Sign-in failed').show();
      }
    });
  }

  $(function () {
    poll();
    $('#sign-in').on('submit', function (e) {
      e.preventDefault();
      signIn(this);
    });
    $('#refresh-now').on('click', function () {
      $.ajax({ url: '/portal/last-run/', success: function (d) { if (d.results) renderRun(d.results); } });
    });
  });
})(jQuery);
