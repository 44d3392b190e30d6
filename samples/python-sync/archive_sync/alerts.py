"""Operator alerts for the archive sync: pager service and status page.

The pager vendor's SDK returns a response object with .success / .error / .results, and its
REST API answers {"success": ..., "error": ..., "results": ...} too. Nothing to do with storage.
"""
import logging
import socket

import requests
from pagerline import PagerClient

log = logging.getLogger("archive_sync.alerts")

STATUS_PAGE = "https://status.pagerline.example/api/v1/incidents"


class Alerts:
    def __init__(self, api_token, service_id):
        self.pager = PagerClient(token=api_token)
        self.service_id = service_id
        self.api_token = api_token

    def page(self, summary, severity="warning"):
        response = self.pager.incidents.trigger(
            service=self.service_id,
            summary=summary,
            severity=severity,
            source=socket.gethostname(),
        )
        if response.success:
            log.info("paged: %s", response.results.incident_id)
            return response.results.incident_id
        log.error("pager refused (%s): %s", response.error.code, response.error.message)
        return None

    def resolve(self, incident_id):
        response = self.pager.incidents.resolve(incident_id)
        return bool(response.success)

    def post_status(self, title, body):
        r = requests.post(
            STATUS_PAGE,
            json={"title": title, "body": body, "component": "archive-sync"},
            headers={"Authorization": f"Token {self.api_token}"},
            timeout=15,
        )
        data = r.json()
        if not data["success"]:
            log.warning("status page: %s", data["error"]["message"])
            return None
        return data["results"]["id"]


def notify_failure(alerts, exc):
    incident = alerts.page(f"archive sync failed: {exc}", severity="error")
    alerts.post_status("Archive sync delayed", "Tonight's archive run failed; we are on it.")
    return incident


def notify_recovery(alerts, incident):
    if incident and alerts.resolve(incident):
        alerts.post_status("Archive sync recovered", "The archive is up to date again.")
