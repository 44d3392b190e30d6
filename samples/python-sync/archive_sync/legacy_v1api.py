# Legacy part of the sync (2015): the hand-written V1Api client with camelCase methods.
# Still used for the customer folders that the swagger-based code never took over.
import logging
import os

from evapi import ApiClient, V1Api  # expect: setup:sdk_import

log = logging.getLogger("archive_sync.legacy")

API_SERVER = "https://api.exavault.com"  # expect: setup:base_url


def make_api(api_key):
    client = ApiClient.ApiClient(api_key, API_SERVER)  # expect: setup:sdk_client
    return V1Api.V1Api(client)  # expect: setup:sdk_client


def _ok(response, what):
    if response is None:
        raise RuntimeError("%s: no answer" % what)
    if response.success != 1:  # expect: envelope:success
        code, message = response.error.code, response.error.message  # expect: envelope:error.code, envelope:error.message
        raise RuntimeError("%s failed [%s]: %s" % (what, code, message))
    return response.results  # expect: envelope:results


class LegacyFolders:
    def __init__(self, api_key, username, password):
        self.api = make_api(api_key)
        auth = _ok(self.api.authenticateUser(username, password), "login")  # expect: call:authenticateUser
        self.token = auth.accessToken

    def customer_folders(self):
        return [f.path for f in _ok(self.api.getFolders(self.token, "/customers"), "folders")]  # expect: call:getFolders

    def folder_size(self, path):
        listing = self.api.getResourceList(self.token, path, "sort_files_name", "asc", 0, 100)  # expect: call:getResourceList
        if not listing.success:  # expect: envelope:success
            log.warning("cannot list %s: %s", path, listing.error.message)  # expect: envelope:error.message
            return 0
        return sum(r.size for r in listing.results.resources)  # expect: envelope:results

    def sizes(self, paths):
        props = _ok(self.api.getResourceProperties(self.token, paths), "properties")  # expect: call:getResourceProperties
        return {p.path: p.size for p in props}

    def stamp_closed(self, path):
        """Closed customers get their folder renamed, nothing is deleted."""
        name = os.path.basename(path.rstrip("/"))
        r = self.api.renameResource(self.token, path, name + "-closed")  # expect: call:renameResource
        return r.success == 1  # expect: envelope:success

    def thumbnails(self, path):
        out = {}
        listing = _ok(self.api.getResourceList(self.token, path, "sort_files_date", "desc", 0, 20), "list")  # expect: call:getResourceList
        for res in listing.resources:
            if res.previewable:
                pv = self.api.previewFile(self.token, res.path, "small")  # expect: call:previewFile
                out[res.name] = pv.results.image  # expect: envelope:results
        return out

    def close(self):
        self.api.logoutUser(self.token)  # expect: call:logoutUser


def report(api_key, username, password):
    folders = LegacyFolders(api_key, username, password)
    try:
        for path in folders.customer_folders():
            log.info("%s: %d bytes", path, folders.folder_size(path))
    finally:
        folders.close()
