"""Second storage account, already on ExaVault API v2 (PyPI package "exavault").

Not the v1.2 API: REST under /api/v2 and ev-api-key / ev-access-token headers. The method
names overlap with v1.2 (get_account, compress_files, delete_resources) but nothing here is
part of the migration.
"""
import logging
import os

import exavault
import requests
from exavault.rest import ApiException

log = logging.getLogger("archive_sync.v2")

V2_HOST = "https://acme-eu.exavault.com/api/v2"


class V2Archive:
    def __init__(self):
        self.key = os.environ["EV2_API_KEY"]
        self.token = os.environ["EV2_ACCESS_TOKEN"]
        configuration = exavault.Configuration()
        configuration.host = V2_HOST
        client = exavault.ApiClient(configuration)
        self.account = exavault.AccountApi(client)
        self.resources = exavault.ResourcesApi(client)
        self.users = exavault.UsersApi(client)

    def free_bytes(self):
        acct = self.account.get_account(self.key, self.token)
        quota = acct.data.attributes.quota
        return quota.disk_limit - quota.disk_used

    def bundle(self, paths, name):
        body = exavault.CompressFilesRequestBody(resources=paths, parent_resource="/bundles", archive_name=name)
        try:
            result = self.resources.compress_files(self.key, self.token, body)
        except ApiException as e:
            log.error("v2 compress failed: %s", e.status)
            return None
        return result.data.attributes.path

    def drop(self, paths):
        self.resources.delete_resources(self.key, self.token, exavault.DeleteResourcesRequestBody(resources=paths))

    def lock_user(self, user_id):
        body = exavault.UpdateUserRequestBody(locked=True)
        self.users.update_user(self.key, self.token, user_id, body)

    def list_raw(self, path):
        r = requests.get(f"{V2_HOST}/resources/list", params={"resource": path},
                         headers={"ev-api-key": self.key, "ev-access-token": self.token}, timeout=30)
        r.raise_for_status()
        return [item["attributes"]["path"] for item in r.json()["data"]]


if __name__ == "__main__":
    archive = V2Archive()
    print(archive.free_bytes())
    print(archive.list_raw("/bundles"))
