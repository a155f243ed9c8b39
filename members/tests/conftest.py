import csv
import io

import pytest
from django.test import Client
from openpyxl import Workbook

HEADERS = ["NIP", "Nama", "Jabatan", "Status Kepegawaian", "No. HP", "Email"]


def xlsx_bytes(rows, headers=HEADERS, *, title_rows=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(side_a):
    return client_for(side_a.users["operator"])
