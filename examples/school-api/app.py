"""School Management API: students, courses and enrolments over JSON, standard library only."""
import json
import os
import re
import sqlite3
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SCHEMA = """
CREATE TABLE IF NOT EXISTS students (id INTEGER PRIMARY KEY, name TEXT NOT NULL, grade INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS courses (id INTEGER PRIMARY KEY, title TEXT NOT NULL, teacher TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrolments (
    course_id INTEGER NOT NULL REFERENCES courses(id),
    student_id INTEGER NOT NULL REFERENCES students(id),
    PRIMARY KEY (course_id, student_id));
"""

# Per collection: the columns a client sends, with their types.
FIELDS = {"students": {"name": str, "grade": int}, "courses": {"title": str, "teacher": str}}


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def connect(path):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    return db


def validated(collection, body):
    values = []
    for field, kind in FIELDS[collection].items():
        value = body.get(field)
        if not isinstance(value, kind) or isinstance(value, bool) or value == "":
            raise ApiError(400, f"field '{field}' must be a non-empty {kind.__name__}")
        values.append(value)
    return values


class Handler(BaseHTTPRequestHandler):
    db_path = "school.db"

    def do_GET(self):
        self.dispatch(self.get)

    def do_POST(self):
        self.dispatch(self.post)

    def dispatch(self, route):
        try:
            # closing() closes the connection; the connection's own context commits or rolls back.
            with closing(connect(self.db_path)) as db, db:
                status, payload = route(db, urlsplit(self.path).path.rstrip("/") or "/")
        except ApiError as error:
            status, payload = error.status, {"error": str(error)}
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def get(self, db, path):
        if path == "/health":
            return 200, {"status": "ok"}
        if path in ("/students", "/courses"):
            return 200, [dict(row) for row in db.execute(f"SELECT * FROM {path[1:]} ORDER BY id")]
        if match := re.fullmatch(r"/(students|courses)/(\d+)", path):
            row = db.execute(f"SELECT * FROM {match[1]} WHERE id = ?", (int(match[2]),)).fetchone()
            if row is None:
                raise ApiError(404, f"{match[1][:-1]} {match[2]} not found")
            return 200, dict(row)
        if match := re.fullmatch(r"/courses/(\d+)/students", path):
            rows = db.execute("SELECT s.* FROM students s JOIN enrolments e ON e.student_id = s.id "
                              "WHERE e.course_id = ? ORDER BY s.id", (int(match[1]),))
            return 200, [dict(row) for row in rows]
        raise ApiError(404, f"no route GET {path}")

    def post(self, db, path):
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        except json.JSONDecodeError as error:
            raise ApiError(400, f"body is not JSON: {error}") from error
        if not isinstance(body, dict):
            raise ApiError(400, "body must be a JSON object")
        if path in ("/students", "/courses"):
            collection = path[1:]
            columns = list(FIELDS[collection])
            values = validated(collection, body)
            cursor = db.execute(f"INSERT INTO {collection} ({', '.join(columns)}) VALUES (?, ?)", values)
            return 201, {"id": cursor.lastrowid, **dict(zip(columns, values))}
        if match := re.fullmatch(r"/courses/(\d+)/students", path):
            student_id = body.get("student_id")
            if not isinstance(student_id, int) or isinstance(student_id, bool):
                raise ApiError(400, "field 'student_id' must be an int")
            try:
                db.execute("INSERT INTO enrolments (course_id, student_id) VALUES (?, ?)", (int(match[1]), student_id))
            except sqlite3.IntegrityError as error:
                raise ApiError(409, f"cannot enrol student {student_id} in course {match[1]}: {error}") from error
            return 201, {"course_id": int(match[1]), "student_id": student_id}
        raise ApiError(404, f"no route POST {path}")


def make_server(host, port, db_path):
    with closing(connect(db_path)) as db:
        db.executescript(SCHEMA)
    handler = type("SchoolHandler", (Handler,), {"db_path": db_path})
    return ThreadingHTTPServer((host, port), handler)


if __name__ == "__main__":
    server = make_server("0.0.0.0", int(os.environ.get("PORT", "5000")), os.environ.get("SCHOOL_DB", "school.db"))
    print(f"School Management API listening on port {server.server_address[1]}", flush=True)
    server.serve_forever()
