'use strict';
/*
 * Dashboard backend - activity feed. Written without dependencies on node's https module
 * (it runs inside the cron container, which has no node_modules).
 */
const https = require('https');
const querystring = require('querystring');

const EXAVAULT_API = 'https://api.exavault.com/v1.2/'; // expect: setup:base_url

function call(operation, params, method) {
  const payload = querystring.stringify(Object.assign({}, params, { access_token: process.env.EV_ACCESS_TOKEN })); // expect: setup:access_token
  const isGet = (method || 'GET') === 'GET';
  const url = new URL(EXAVAULT_API + operation + (isGet ? '?' + payload : ''));
  const options = {
    method: method || 'GET',
    headers: { 'api_key': process.env.EV_API_KEY }, // expect: setup:api_key_header
  };
  if (!isGet) {
    options.headers['Content-Type'] = 'application/x-www-form-urlencoded';
    options.headers['Content-Length'] = Buffer.byteLength(payload);
  }
  return new Promise(function (resolve, reject) {
    const req = https.request(url, options, function (res) {
      const chunks = [];
      res.on('data', function (c) { chunks.push(c); });
      res.on('end', function () {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          return reject(new Error('HTTP ' + res.statusCode + ' with a body that is not JSON'));
        }
        if (body.success !== 1) { // expect: envelope:success
          const err = new Error(body.error.message); // expect: envelope:error.message
          err.code = body.error.code; // expect: envelope:error.code
          return reject(err);
        }
        resolve(body.results); // expect: envelope:results
      });
    });
    req.on('error', reject);
    if (!isGet) req.write(payload);
    req.end();
  });
}

function activityFeed(limit) {
  return call('getFileActivityLogs', { sortBy: 'sort_logs_date', sortOrder: 'desc', itemLimit: limit || 50 }) // expect: call:getFileActivityLogs
    .then(function (entries) {
      return entries.map(function (e) {
        return { when: e.created, who: e.username, what: e.operation, file: e.fileName, bytes: e.bytesTransferred };
      });
    });
}

function shareVisits(shareId) {
  return call('getShareActivity', { id: shareId }); // expect: call:getShareActivity
}

function uploadsByUser(limit) {
  return activityFeed(limit).then(function (rows) {
    const counts = {};
    rows.filter(function (r) { return r.what === 'STOR'; }).forEach(function (r) {
      counts[r.who] = (counts[r.who] || 0) + 1;
    });
    return counts;
  });
}

function copyToShowcase(paths) {
  return call('copyResources', { 'filePaths[]': paths, destinationPath: '/showcase' }, 'POST'); // expect: call:copyResources
}

module.exports = { activityFeed, shareVisits, uploadsByUser, copyToShowcase };
