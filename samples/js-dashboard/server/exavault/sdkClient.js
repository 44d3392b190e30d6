'use strict';
/*
 * Dashboard backend - account widgets, written in 2019 on the v1.2 JavaScript SDK
 * (npm module exa_vault_api, callback style: function (error, data, response)).
 */
const ExaVaultApi = require('exa_vault_api'); // expect: setup:sdk_import

const defaultClient = ExaVaultApi.ApiClient.instance;
defaultClient.basePath = process.env.EV_BASE_PATH || 'https://api.exavault.com/v1.2'; // expect: setup:base_url

const authApi = new ExaVaultApi.AuthenticationApi(); // expect: setup:sdk_client
const userApi = new ExaVaultApi.UserApi(); // expect: setup:sdk_client
const filesApi = new ExaVaultApi.FilesAndFoldersApi(); // expect: setup:sdk_client
const notificationApi = new ExaVaultApi.NotificationApi(); // expect: setup:sdk_client
const activityApi = new ExaVaultApi.ActivityApi(); // expect: setup:sdk_client

const API_KEY = process.env.EV_API_KEY;

function unwrap(done) {
  return function (error, data) {
    if (error) {
      return done(error);
    }
    if (data.success !== 1) { // expect: envelope:success
      const err = new Error(data.error ? data.error.message : 'ExaVault call failed'); // expect: envelope:error, envelope:error.message
      err.evCode = data.error && data.error.code; // expect: envelope:error, envelope:error.code
      return done(err);
    }
    done(null, data.results); // expect: envelope:results
  };
}

function login(username, password, done) {
  authApi.authenticateUser(API_KEY, username, password, function (error, data) { // expect: call:authenticateUser
    if (error) return done(error);
    if (!data.success) return done(new Error(data.error.message)); // expect: envelope:success, envelope:error.message
    done(null, data.results.accessToken); // expect: envelope:results
  });
}

function logout(token, done) {
  authApi.logoutUser(API_KEY, token, unwrap(done)); // expect: call:logoutUser
}

function quotaWidget(token, done) {
  userApi.getAccount(API_KEY, token, unwrap(function (err, account) { // expect: call:getAccount
    if (err) return done(err);
    done(null, {
      used: account.diskQuotaUsed,
      limit: account.diskQuotaLimit,
      users: account.userCount + '/' + account.maxUsers,
    });
  }));
}

function whoAmI(token, done) {
  userApi.getCurrentUser(API_KEY, token, unwrap(function (err, user) { // expect: call:getCurrentUser
    done(err, user && { name: user.nickname || user.username, role: user.role });
  }));
}

function recentUploads(token, done) {
  filesApi.getResourceList(API_KEY, token, '/incoming', { sortBy: 'sort_files_date', sortOrder: 'desc', limit: 10 }, function (error, data) { // expect: call:getResourceList
    if (error || !data.success) { // expect: envelope:success
      console.error('recent uploads unavailable', error ? error.status : data.error); // expect: envelope:error
      return done(null, []);
    }
    done(null, data.results.resources.map((r) => ({ name: r.name, when: r.uploadDate }))); // expect: envelope:results
  });
}

function alertsWidget(token, done) {
  notificationApi.getNotifications(API_KEY, token, 'folder', {}, unwrap(function (err, notifications) { // expect: call:getNotifications
    if (err) return done(err);
    activityApi.getNotificationActivity(API_KEY, token, unwrap(function (err2, sent) { // expect: call:getNotificationActivity
      done(err2, { watching: notifications.length, sentToday: (sent || []).length });
    }));
  }));
}

function alertDetail(token, id, done) {
  notificationApi.getNotification(API_KEY, token, id, unwrap(done)); // expect: call:getNotification
}

module.exports = { login, logout, quotaWidget, whoAmI, recentUploads, alertsWidget, alertDetail };
