/*
 * Customer portal front end (jQuery). Talks only to the portal's own PHP endpoints;
 * the storage calls happen server-side in lib/.
 */
(function ($) {
  'use strict';

  function flash(kind, message) {
    $('#flash').attr('class', 'alert alert-' + kind).text(message).show();
  }

  function loadDocuments(customer) {
    $.ajax({
      url: '/portal/documents.php',
      data: { customer: customer },
      dataType: 'json',
      success: function (data) {
        var $tbody = $('#documents tbody').empty();
        if (!data.success) {
          flash('warning', data.error.message);
          return;
        }
        $.each(data.results, function (i, doc) {
          $tbody.append(
            $('<tr>').append($('<td>').text(doc.name), $('<td>').text(doc.size), $('<td>').text(doc.date))
          );
        });
      },
      error: function (xhr, status, error) {
        flash('danger', 'Could not load documents: ' + error);
      }
    });
  }

  function requestLink(customer, names) {
    $.ajax({
      url: '/portal/download-link.php',
      method: 'POST',
      data: { customer: customer, names: names },
      dataType: 'json',
      success: function (response) {
        if (response.success) {
          window.location.href = response.results.url;
        } else {
          flash('warning', response.error.message);
        }
      },
      error: function () {
        flash('danger', 'The download link could not be created.');
      }
    });
  }

  $(function () {
    var customer = $('body').data('customer');
    loadDocuments(customer);

    $('#download-selected').on('click', function () {
      var names = $('#documents input:checked').map(function () { return this.value; }).get();
      requestLink(customer, names);
    });

    $('#upload-form').on('submit', function (e) {
      e.preventDefault();
      $.ajax({
        url: '/portal/upload.php',
        method: 'POST',
        data: new FormData(this),
        processData: false,
        contentType: false,
        success: function () { loadDocuments(customer); flash('success', 'Uploaded.'); },
        error: function (xhr) { flash('danger', 'Upload failed (' + xhr.status + ')'); }
      });
    });
  });
})(jQuery);
