"""Plain loopback TCP throughput (no crypto, no muxing): the machine's ceiling for bench/p2p.sh.

One sender and one receiver thread move 4 GiB through a 127.0.0.1 socket in 1 MiB calls
(sendall / recv_into); prints GB/s. Python's per-call cost is negligible at 1 MiB, so this
measures the kernel's copy cost, which every libp2p stack on this machine pays too.
"""
import socket
import threading
import time

TOTAL = 4 << 30
CHUNK = 1 << 20


def main():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def receive():
        conn, _ = server.accept()
        view = memoryview(bytearray(CHUNK))
        got = 0
        while got < TOTAL:
            n = conn.recv_into(view)
            if not n:
                break
            got += n
        conn.close()

    receiver = threading.Thread(target=receive)
    receiver.start()
    sender = socket.create_connection(server.getsockname())
    data = bytes(CHUNK)
    start = time.perf_counter()
    for _ in range(TOTAL // CHUNK):
        sender.sendall(data)
    sender.close()
    receiver.join()
    print(f"loopback TCP, no crypto, 1 MiB calls: {TOTAL / (time.perf_counter() - start) / 1e9:.2f} GB/s")


if __name__ == "__main__":
    main()
