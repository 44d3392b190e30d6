'use strict';
/*
 * Dashboard backend - share and user admin, axios promises (added 2020).
 * Base URL kept in one constant; each operation is appended to it.
 */
const axios = require('axios');
const qs = require('querystring');

const EV_BASE_URL = 'https://api.exavault.com/v1.2'; // expect: setup:base_url

const http = axios.create({
  timeout: 20000,
  headers: { api_key: process.env.EV_API_KEY }, // expect: setup:api_key_header
});

function check(response) {
  if (response.data.success !== 1) { // expect: envelope:success
    const e = new Error(response.data.error.message); // expect: envelope:error.message
    e.code = response.data.error.code; // expect: envelope:error.code
    throw e;
  }
  return response.data.results; // expect: envelope:results
}

function form(token, fields) {
  return qs.stringify(Object.assign({ access_token: token }, fields)); // expect: setup:access_token
}

const shares = {
  list(token) {
    return http.get(EV_BASE_URL + '/getShares', { // expect: call:getShares
      params: { access_token: token, sortBy: 'sort_shares_date', sortOrder: 'desc', include: 'active' }, // expect: setup:access_token
    }).then(check);
  },

  get(token, id) {
    return http.get(EV_BASE_URL + '/getShare?access_token=' + encodeURIComponent(token) + '&id=' + id).then(check); // expect: call:getShare, setup:access_token
  },

  createDownloadLink(token, paths, emails) {
    return http.post(EV_BASE_URL + '/createShare', form(token, { // expect: call:createShare
      type: 'send', name: 'Dashboard export', filePaths: paths, accessMode: 'download', emails: emails.join(','),
    })).then(check).then((share) => share.hash);
  },

  extend(token, id, expiration) {
    return http.post(EV_BASE_URL + '/updateShare', form(token, { id, expiration })).then(check); // expect: call:updateShare
  },

  remove(token, id) {
    return http.get(EV_BASE_URL + '/deleteShare', { params: { access_token: token, id } }) // expect: call:deleteShare, setup:access_token
      .then((res) => res.data.success === 1) // expect: envelope:success
      .catch(() => false);
  },
};

const users = {
  list(token) {
    return http.get(`${EV_BASE_URL}/getUsers`, { params: { access_token: token, sortBy: 'sort_users_username' } }).then(check); // expect: call:getUsers, setup:access_token
  },

  async isFree(token, username) {
    const res = await http.get(`${EV_BASE_URL}/userAvailable`, { params: { access_token: token, username } }); // expect: call:userAvailable, setup:access_token
    const found = res.data.results; // expect: envelope:results
    return Boolean(found && found.available);
  },

  async remind(token, username) {
    const res = await http.get(`${EV_BASE_URL}/resendWelcomeEmail`, { params: { access_token: token, username } }); // expect: call:resendWelcomeEmail, setup:access_token
    if (res.data.error) { // expect: envelope:error
      console.warn(`welcome mail for ${username} not sent: ${res.data.error.message}`); // expect: envelope:error.message
      return false;
    }
    return true;
  },
};

async function dashboardSummary(token) {
  const [allShares, allUsers] = await Promise.all([shares.list(token), users.list(token)]);
  return {
    activeShares: allShares.length,
    expiringSoon: allShares.filter((s) => s.expiration && new Date(s.expiration) - Date.now() < 7 * 864e5).length,
    users: allUsers.length,
  };
}

module.exports = { shares, users, dashboardSummary };
