'use strict';
/*
 * Media library on the second storage account, which already runs ExaVault API v2
 * (npm @exavault/exavault-api). Not v1.2: REST under /api/v2 with ev-api-key and
 * ev-access-token headers. Method names such as getAccount or compressFiles overlap with v1.2.
 */
const ExaVaultApi = require('@exavault/exavault-api');
const axios = require('axios');

const V2_BASE = 'https://media.exavault.com/api/v2';
ExaVaultApi.ApiClient.instance.basePath = V2_BASE;

const evApiKey = process.env.EV2_API_KEY;
const evAccessToken = process.env.EV2_ACCESS_TOKEN;

const accountApi = new ExaVaultApi.AccountApi();
const resourcesApi = new ExaVaultApi.ResourcesApi();
const activityApi = new ExaVaultApi.ActivityApi();

function promisified(fn) {
  return new Promise((resolve, reject) => fn((error, data) => (error ? reject(error) : resolve(data))));
}

async function mediaQuota() {
  const account = await promisified((cb) => accountApi.getAccount(evApiKey, evAccessToken, {}, cb));
  const quota = account.data.attributes.quota;
  return { used: quota.diskUsed, limit: quota.diskLimit };
}

async function bundleCampaign(name, paths) {
  const body = new ExaVaultApi.CompressFilesRequestBody(paths, '/bundles');
  body.archiveName = `${name}.zip`;
  const result = await promisified((cb) => resourcesApi.compressFiles(evApiKey, evAccessToken, { body }, cb));
  return result.data.id;
}

async function deleteDrafts(paths) {
  const body = new ExaVaultApi.DeleteResourcesRequestBody(paths);
  await promisified((cb) => resourcesApi.deleteResources(evApiKey, evAccessToken, body, cb));
}

async function loginsThisWeek() {
  const logs = await promisified((cb) => activityApi.getSessionLogs(evApiKey, evAccessToken, { limit: 200 }, cb));
  const weekAgo = Date.now() - 7 * 864e5;
  return logs.data.filter((l) => new Date(l.attributes.created) > weekAgo).length;
}

async function listRaw(path) {
  const res = await axios.get(`${V2_BASE}/resources/list`, {
    params: { resource: path, limit: 100 },
    headers: { 'ev-api-key': evApiKey, 'ev-access-token': evAccessToken },
  });
  return res.data.data.map((r) => r.attributes.path);
}

async function lockFreelancer(userId) {
  const body = new ExaVaultApi.UpdateUserRequestBody();
  body.locked = true;
  await promisified((cb) => new ExaVaultApi.UsersApi().updateUser(evApiKey, evAccessToken, userId, body, cb));
}

module.exports = { mediaQuota, bundleCampaign, deleteDrafts, loginsThisWeek, listRaw, lockFreelancer };
