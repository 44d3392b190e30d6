'use strict';
/*
 * Dashboard backend - file browser panel (2021, Node 18 global fetch, async/await).
 * The account was moved to Files.com; legacy v1.2 calls go to the site host.
 */
const SITE_API = 'https://acme.files.com/v1.2'; // expect: setup:base_url
const HEADERS = { 'api-key': process.env.FILES_SITE_KEY }; // expect: setup:api_key_header

async function evFetch(url, init = {}) {
  const res = await fetch(url, { ...init, headers: { ...HEADERS, ...(init.headers || {}) } });
  if (res.status >= 500) {
    throw new Error(`storage answered HTTP ${res.status}`);
  }
  const json = await res.json();
  if (json.success === 0) { // expect: envelope:success
    throw new Error(json.error?.message || 'storage error'); // expect: envelope:error.message
  }
  return json.results; // expect: envelope:results
}

function withToken(token, extra = {}) {
  return new URLSearchParams({ access_token: token, ...extra }); // expect: setup:access_token
}

async function folderTree(token, path) {
  const folders = await evFetch(`${SITE_API}/getFolders?${withToken(token, { path })}`); // expect: call:getFolders
  return folders.map((f) => ({ name: f.name, path: f.path, files: f.fileCount }));
}

async function fileDetails(token, paths) {
  const params = withToken(token);
  paths.forEach((p) => params.append('filePaths[]', p));
  return evFetch(`${SITE_API}/getResourceProperties?${params}`); // expect: call:getResourceProperties
}

async function thumbnail(token, path) {
  const res = await fetch(`${SITE_API}/previewFile?access_token=${token}&path=${encodeURIComponent(path)}&size=small`, { headers: HEADERS }); // expect: call:previewFile, setup:access_token
  const body = await res.json();
  if (!body.success) return null; // expect: envelope:success
  return `data:image/jpeg;base64,${body.results.image}`; // expect: envelope:results
}

async function newFolder(token, parent, name) {
  await evFetch(`${SITE_API}/createFolder`, { // expect: call:createFolder
    method: 'POST',
    body: withToken(token, { path: parent, folderName: name }),
  });
  return `${parent}/${name}`;
}

async function downloadUrl(token, paths) {
  const body = withToken(token, { filePaths: paths.length === 1 ? paths[0] : paths.join(','), downloadName: 'dashboard.zip' });
  const url = await evFetch(`${SITE_API}/getDownloadFileUrl?${body}`); // expect: call:getDownloadFileUrl
  return url.url;
}

async function pdfPages(token, path) {
  return evFetch(`${SITE_API}/getPageCount?${withToken(token, { path })}`); // expect: call:getPageCount
}

module.exports = { folderTree, fileDetails, thumbnail, newFolder, downloadUrl, pdfPages };
