"""Plain-HTTP pieces of the archive sync (requests, no SDK).

Used for what the Python SDK never had (compressFiles / extractFiles) and for the audit share
and folder notifications, which were added in 2020 by someone who preferred raw requests.
"""
import logging
import os

import requests

BASE_URL = os.environ.get("EV_BASE_URL", "https://api.exavault.com/v1.2")  # expect: setup:base_url
TIMEOUT = 60

log = logging.getLogger("archive_sync.http")


class VaultError(RuntimeError):
    def __init__(self, payload):
        super().__init__(payload["error"]["message"])  # expect: envelope:error.message
        self.code = payload["error"]["code"]  # expect: envelope:error.code


class VaultHttp:
    def __init__(self, api_key, token):
        self.token = token
        self.s = requests.Session()
        self.s.headers["api_key"] = api_key  # expect: setup:api_key_header

    def _get(self, url, **params):
        params["access_token"] = self.token  # expect: setup:access_token
        payload = self.s.get(url, params=params, timeout=TIMEOUT).json()
        if payload["success"] != 1:  # expect: envelope:success
            raise VaultError(payload)
        return payload["results"]  # expect: envelope:results

    def _post(self, url, **form):
        form["access_token"] = self.token  # expect: setup:access_token
        payload = self.s.post(url, data=form, timeout=TIMEOUT).json()
        if not payload.get("success"):  # expect: envelope:success
            raise VaultError(payload)
        return payload.get("results")  # expect: envelope:results

    # -- archives -----------------------------------------------------------------------------
    def zip_month(self, month):
        return self._post(f"{BASE_URL}/compressFiles",  # expect: call:compressFiles
                          **{"filePaths[]": [f"/archive/{month}"], "archivePath": f"/archive/{month}.zip"})

    def restore(self, archive_path, target):
        return self._post(f"{BASE_URL}/extractFiles", archivePath=archive_path, extractPath=target)  # expect: call:extractFiles

    # -- audit share --------------------------------------------------------------------------
    def audit_share(self, auditor_email):
        shares = self._get(f"{BASE_URL}/getShares", sortBy="sort_shares_name", sortOrder="asc")  # expect: call:getShares
        for share in shares:
            if share["name"] == "Auditors":
                return share["hash"]
        share = self._post(BASE_URL + "/createShare", type="shared_folder", name="Auditors",  # expect: call:createShare
                           filePaths="/archive", accessMode="download", emails=auditor_email)
        return share["hash"]

    # -- notifications on the archive folder ----------------------------------------------------
    def watch_archive(self, usernames):
        existing = self._get(f"{BASE_URL}/getNotifications", type="folder")  # expect: call:getNotifications
        mine = [n for n in existing if n["path"] == "/archive"]
        if mine:
            self._post(f"{BASE_URL}/updateNotification", id=mine[0]["id"], usernames=",".join(usernames))  # expect: call:updateNotification
            for dup in mine[1:]:
                self._get(f"{BASE_URL}/deleteNotification", id=dup["id"])  # expect: call:deleteNotification
            return mine[0]["id"]
        created = self._post(f"{BASE_URL}/createNotification", type="folder", path="/archive",  # expect: call:createNotification
                             action="all", usernames=",".join(usernames), sendEmail=1)
        return created["id"]

    # -- health ---------------------------------------------------------------------------------
    def whoami(self):
        me = self._get(f"{BASE_URL}/getCurrentUser")  # expect: call:getCurrentUser
        acct = self._get(f"{BASE_URL}/getAccount")  # expect: call:getAccount
        return f"{me['username']} on {acct['username']} ({acct['diskQuotaUsed']}/{acct['diskQuotaLimit']} MB)"

    def owner_of(self, username):
        r = self.s.get(f"{BASE_URL}/getUser?access_token={self.token}&username={username}", timeout=TIMEOUT)  # expect: call:getUser, setup:access_token
        body = r.json()
        return body["results"] if body["success"] else None  # expect: envelope:results, envelope:success

    def failed_callbacks(self):
        logs = self._get(f"{BASE_URL}/getCallbackLogs", itemLimit=100)  # expect: call:getCallbackLogs
        return [entry for entry in logs if not str(entry.get("response", "")).startswith("2")]


def nightly(api_key, token, month):
    vault = VaultHttp(api_key, token)
    try:
        log.info("connected as %s", vault.whoami())
        vault.zip_month(month)
        vault.watch_archive(["archivist", "cfo"])
    except VaultError as err:
        log.error("storage error %s: %s", err.code, err)
