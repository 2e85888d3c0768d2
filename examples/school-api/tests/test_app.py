"""Exercises the API over real HTTP on a loopback port with a throw-away database."""
import json
import os
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from app import make_server  # noqa: E402


class SchoolApiTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.server = make_server("127.0.0.1", 0, os.path.join(self.folder.name, "school.db"))
        # The access log is for the container; here it would bury the test results.
        self.server.RequestHandlerClass.log_message = lambda *args: None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.folder.cleanup()

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def test_created_student_is_listed_and_fetched_by_id(self):
        status, created = self.call("POST", "/students", {"name": "Ada", "grade": 7})
        self.assertEqual(201, status)
        self.assertEqual([created], self.call("GET", "/students")[1])
        self.assertEqual((200, {"id": created["id"], "name": "Ada", "grade": 7}),
                         self.call("GET", f"/students/{created['id']}"))

    def test_enrolled_student_is_listed_under_the_course(self):
        student = self.call("POST", "/students", {"name": "Alan", "grade": 9})[1]
        course = self.call("POST", "/courses", {"title": "Logic", "teacher": "Church"})[1]
        self.assertEqual(201, self.call("POST", f"/courses/{course['id']}/students", {"student_id": student["id"]})[0])
        self.assertEqual((200, [student]), self.call("GET", f"/courses/{course['id']}/students"))

    def test_enrolling_twice_or_an_unknown_student_conflicts(self):
        student = self.call("POST", "/students", {"name": "Grace", "grade": 8})[1]
        course = self.call("POST", "/courses", {"title": "Compilers", "teacher": "Hopper"})[1]
        path = f"/courses/{course['id']}/students"
        self.call("POST", path, {"student_id": student["id"]})
        self.assertEqual(409, self.call("POST", path, {"student_id": student["id"]})[0])
        self.assertEqual(409, self.call("POST", path, {"student_id": 999})[0])

    def test_invalid_student_is_rejected_with_the_field_named(self):
        status, payload = self.call("POST", "/students", {"name": "Ada", "grade": "seven"})
        self.assertEqual(400, status)
        self.assertIn("'grade'", payload["error"])
        self.assertEqual([], self.call("GET", "/students")[1])

    def test_unknown_student_and_route_are_not_found(self):
        self.assertEqual(404, self.call("GET", "/students/42")[0])
        self.assertEqual(404, self.call("GET", "/teachers")[0])


if __name__ == "__main__":
    unittest.main()
