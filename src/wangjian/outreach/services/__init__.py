"""Outreach services: the platforms' duties, guidance, requests to platforms and to other authorities."""

from wangjian.outreach.services.authorities import (
    authority_outcome,
    authority_receipt,
    authority_request_send,
    authority_save,
    case_transfer_sync,
)
from wangjian.outreach.services.duties import report_record, reverification_record
from wangjian.outreach.services.guidance import guidance_record
from wangjian.outreach.services.requests import request_answer, request_send
from wangjian.outreach.services.steps import allowed_steps, outreach_act

__all__ = [
    "allowed_steps",
    "authority_outcome",
    "authority_receipt",
    "authority_request_send",
    "authority_save",
    "case_transfer_sync",
    "guidance_record",
    "outreach_act",
    "report_record",
    "request_answer",
    "request_send",
    "reverification_record",
]
