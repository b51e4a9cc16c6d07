"""An A2A client of a served team in Python, with the `a2a-sdk` package (1.x) and nothing else.

It streams a task, answers the question the task asks (input-required), streams on to the end and
prints the final answer; the last line is a JSON summary, for scripts (and the gallery's test).

Usage: python client.py [team URL] [answer]
  (team URL default http://127.0.0.1:41241/teams/note-writer/, answer default "approve: ship it")
"""

import asyncio
import json
import sys
import uuid

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, SendMessageRequest, TaskState

TASK = "Write a two-line note announcing our durable team runs."


def text_of(parts) -> str:
    return "".join(p.text for p in parts)


async def stream_message(client, message: Message, seen: dict) -> dict:
    """Sends one message as a stream, prints each event as it comes, and notes where the task stands."""
    async for event in client.send_message(SendMessageRequest(message=message)):
        kind = event.WhichOneof("payload")
        if kind == "task":
            seen.update(task_id=event.task.id, context_id=event.task.context_id, state=event.task.status.state)
            print(f"task {event.task.id}: {TaskState.Name(seen['state'])}")
        elif kind == "status_update":
            seen["state"] = event.status_update.status.state
            seen["question"] = text_of(event.status_update.status.message.parts)
            print(f"status: {TaskState.Name(seen['state'])}: {seen['question']}".rstrip(": "))
        elif kind == "artifact_update":
            artifact = event.artifact_update.artifact
            if artifact.artifact_id == "final-answer":
                seen["answer"] += text_of(artifact.parts)
            print(f"artifact {artifact.artifact_id}: {text_of(artifact.parts)}")
    return seen


async def main(url: str, answer: str) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        client = ClientFactory(ClientConfig(streaming=True, httpx_client=http)).create(card)
        seen = {"task_id": "", "context_id": "", "state": TaskState.TASK_STATE_UNSPECIFIED, "question": "", "answer": ""}
        ask = Message(role=Role.ROLE_USER, parts=[Part(text=TASK)], message_id=str(uuid.uuid4()))
        await stream_message(client, ask, seen)
        if seen["state"] == TaskState.TASK_STATE_INPUT_REQUIRED:
            print(f"the team asks: {seen['question']}\nanswering: {answer}")
            reply = Message(
                role=Role.ROLE_USER,
                parts=[Part(text=answer)],
                message_id=str(uuid.uuid4()),
                task_id=seen["task_id"],  # the same task: this answers its question
                context_id=seen["context_id"],
            )
            await stream_message(client, reply, seen)
        await client.close()
    print(f"final state: {TaskState.Name(seen['state'])}")
    print(json.dumps({"taskId": seen["task_id"], "state": TaskState.Name(seen["state"]), "answer": seen["answer"]}))
    sys.exit(0 if seen["state"] == TaskState.TASK_STATE_COMPLETED else 1)


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(args[0] if args else "http://127.0.0.1:41241/teams/note-writer/", args[1] if len(args) > 1 else "approve: ship it"))
