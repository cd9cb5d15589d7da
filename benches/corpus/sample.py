#!/usr/bin/env python3
"""A tiny job scheduler with retries, for the render benchmark."""
import heapq
import time
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(order=True)
class Job:
    due: float
    name: str = field(compare=False)
    run: Callable[[], None] = field(compare=False)
    attempts: int = field(default=0, compare=False)


class Scheduler:
    def __init__(self, max_attempts: int = 3, backoff: float = 0.5) -> None:
        self.queue: list[Job] = []
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.failed: dict[str, Exception] = {}

    def add(self, name: str, run: Callable[[], None], delay: float = 0.0) -> None:
        heapq.heappush(self.queue, Job(time.monotonic() + delay, name, run))

    def step(self) -> Optional[str]:
        if not self.queue or self.queue[0].due > time.monotonic():
            return None
        job = heapq.heappop(self.queue)
        try:
            job.run()
        except Exception as e:  # noqa: BLE001 - a job may raise anything
            job.attempts += 1
            if job.attempts >= self.max_attempts:
                self.failed[job.name] = e
            else:
                job.due = time.monotonic() + self.backoff * 2 ** job.attempts
                heapq.heappush(self.queue, job)
        return job.name


if __name__ == "__main__":
    s = Scheduler()
    s.add("hello", lambda: print("hello, world"))
    s.add("square", lambda: print([n * n for n in range(10) if n % 2]), delay=0.1)
    while s.queue:
        if s.step() is None:
            time.sleep(0.01)
    print(f"failed: {len(s.failed)}")
