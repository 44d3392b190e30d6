"""Archive sync against the storage account, on the 2019 swagger_client SDK (evapi-python v1.2).

Mirrors /outgoing to the local archive disk, uploads new scans from /srv/scans, and keeps a
copy of everything older than 30 days under /archive on the remote side.
"""
import datetime
import logging
import os
import urllib.request

import swagger_client  # expect: setup:sdk_import
from swagger_client.rest import ApiException  # expect: setup:sdk_import

log = logging.getLogger("archive_sync.swagger")

PAGE = 100


class SyncError(Exception):
    pass


class SwaggerVault:
    def __init__(self, api_key, host=None):
        configuration = swagger_client.Configuration()
        configuration.host = host or "https://api.exavault.com/v1.2"  # expect: setup:base_url
        client = swagger_client.ApiClient(configuration)  # expect: setup:sdk_client
        self.api_key = api_key
        self.auth = swagger_client.AuthenticationApi(client)  # expect: setup:sdk_client
        self.files = swagger_client.FilesAndFoldersApi(client)  # expect: setup:sdk_client
        self.activity = swagger_client.ActivityApi(client)  # expect: setup:sdk_client
        self.token = None

    def login(self, username, password):
        resp = self.auth.authenticate_user(self.api_key, username, password)  # expect: call:authenticateUser
        if resp.success != 1:  # expect: envelope:success
            raise SyncError("login refused: %s" % resp.error['message'])  # expect: envelope:error.message
        self.token = resp.results.access_token  # expect: envelope:results

    def logout(self):
        if self.token:
            self.auth.logout_user(self.api_key, self.token)  # expect: call:logoutUser
            self.token = None

    def remote_files(self, folder):
        """All files below one folder, page by page."""
        offset, found = 0, []
        while True:
            page = self.files.get_resource_list(self.api_key, self.token, folder,  # expect: call:getResourceList
                                                sort_by="sort_files_date", offset=offset, limit=PAGE)
            if not page.success:  # expect: envelope:success
                raise SyncError("listing %s failed (code %s)" % (folder, page.error['code']))  # expect: envelope:error.code
            batch = page.results.resources  # expect: envelope:results
            found.extend(r for r in batch if r.type == "file")
            if len(batch) < PAGE:
                return found
            offset += PAGE

    def mirror(self, folder, target_dir):
        for item in self.remote_files(folder):
            local = os.path.join(target_dir, item.name)
            if os.path.exists(local) and os.path.getsize(local) == item.size:
                continue
            link = self.files.get_download_file_url(self.api_key, self.token, item.path)  # expect: call:getDownloadFileUrl
            urllib.request.urlretrieve(link.results.url, local)  # expect: envelope:results
            log.info("fetched %s", item.path)

    def push_scans(self, scan_dir, remote_folder):
        names = sorted(os.listdir(scan_dir))
        paths = ["%s/%s" % (remote_folder, n) for n in names]
        exists = self.files.check_files_exist(self.api_key, self.token, paths)  # expect: call:checkFilesExist
        for name, state in zip(names, exists.results):  # expect: envelope:results
            if state.exists:
                continue
            local = os.path.join(scan_dir, name)
            target = self.files.get_upload_file_url(self.api_key, self.token, os.path.getsize(local),  # expect: call:getUploadFileUrl
                                                    "%s/%s" % (remote_folder, name), allow_overwrite=False)
            if target.error:  # expect: envelope:error
                log.warning("no upload url for %s: %s", name, target.error)  # expect: envelope:error
                continue
            with open(local, "rb") as fh:
                req = urllib.request.Request(target.results.url, data=fh.read(), method="POST")  # expect: envelope:results
                urllib.request.urlopen(req)

    def archive_older_than(self, folder, days=30):
        cutoff = (datetime.date.today() - datetime.timedelta(days=days)).isoformat()
        old = [r.path for r in self.remote_files(folder) if r.upload_date[:10] < cutoff]
        if not old:
            return 0
        copied = self.files.copy_resources(self.api_key, self.token, old, "/archive")  # expect: call:copyResources
        if copied.success == 2:  # expect: envelope:success
            log.warning("partial copy; originals kept")
            return 0
        deleted = self.files.delete_resources(self.api_key, self.token, old)  # expect: call:deleteResources
        return len(deleted.results)  # expect: envelope:results

    def uploads_today(self):
        logs = self.activity.get_file_activity_logs(self.api_key, self.token,  # expect: call:getFileActivityLogs
                                                    filter_by="filter_logs_operation", filter="STOR", item_limit=200)
        today = datetime.date.today().isoformat()
        return [e.file_name for e in logs.results if e.created.startswith(today)]  # expect: envelope:results


def run(api_key, username, password):
    vault = SwaggerVault(api_key)
    try:
        vault.login(username, password)
        vault.mirror("/outgoing", "/mnt/archive/outgoing")
        vault.push_scans("/srv/scans", "/incoming/scans")
        log.info("archived %d files", vault.archive_older_than("/incoming/scans"))
    except ApiException as e:
        log.error("HTTP %s from storage: %s", e.status, e.reason)
    finally:
        vault.logout()
