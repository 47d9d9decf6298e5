/**
 * A minimal Language Server Protocol client for `deno lsp` — what VS Code's Deno extension talks
 * to — so tests can ask what an editor shows on hover. Messages are framed as the LSP
 * specification's base protocol says ("Content-Length: N\r\n\r\n" then N bytes of JSON-RPC), and
 * the server's `workspace/configuration` requests are answered with `{ enable: true }` (the
 * setting the extension sends for an enabled workspace).
 */
import { type ChildProcess, spawn } from "node:child_process";

interface Message {
  id?: number;
  method?: string;
  params?: { items?: unknown[] };
  result?: unknown;
  error?: { message: string };
}

export class LspClient {
  #proc: ChildProcess;
  #buf = Buffer.alloc(0);
  #id = 0;
  #waiting = new Map<number, (m: Message) => void>();

  private constructor(readonly root: string) {
    this.#proc = spawn(Deno.execPath(), ["lsp"], { cwd: root, stdio: ["pipe", "pipe", "ignore"] });
    this.#proc.stdout!.on("data", (chunk: Buffer) => this.#read(chunk));
  }

  /** Starts `deno lsp` on a workspace folder (where its deno.json is found). */
  static async start(root: string): Promise<LspClient> {
    const c = new LspClient(root);
    const uri = `file://${root}`;
    await c.request("initialize", {
      processId: null,
      rootUri: uri,
      workspaceFolders: [{ uri, name: "workspace" }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { enable: true },
    });
    c.notify("initialized", {});
    return c;
  }

  #write(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }));
    this.#proc.stdin!.write(
      Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]),
    );
  }

  #read(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const head = this.#buf.indexOf("\r\n\r\n");
      if (head < 0) return;
      const len = Number(
        /Content-Length: (\d+)/i.exec(this.#buf.subarray(0, head).toString())?.[1],
      );
      if (this.#buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.#buf.subarray(head + 4, head + 4 + len).toString()) as Message;
      this.#buf = this.#buf.subarray(head + 4 + len);
      if (msg.method && msg.id !== undefined) {
        // A request from the server: settings for each item asked, nothing for the rest.
        const result = msg.method === "workspace/configuration"
          ? (msg.params?.items ?? []).map(() => ({ enable: true }))
          : null;
        this.#write({ id: msg.id, result });
      } else if (msg.id !== undefined) {
        this.#waiting.get(msg.id)?.(msg);
        this.#waiting.delete(msg.id);
      }
    }
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = ++this.#id;
    return new Promise((resolve, reject) => {
      this.#waiting.set(
        id,
        (m) => m.error ? reject(new Error(m.error.message)) : resolve(m.result),
      );
      this.#write(params === null ? { id, method } : { id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.#write(params === null ? { method } : { method, params });
  }

  /** Opens a document as an editor does. */
  open(uri: string, text: string): void {
    this.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "typescript", version: 1, text },
    });
  }

  /** The hover text (markdown) at a 0-based line and character. */
  async hover(uri: string, line: number, character: number): Promise<string> {
    const r = await this.request("textDocument/hover", {
      textDocument: { uri },
      position: { line, character },
    }) as { contents?: { value?: string } } | null;
    return r?.contents?.value ?? "";
  }

  async close(): Promise<void> {
    try {
      await this.request("shutdown", null);
      this.notify("exit", null);
    } finally {
      this.#proc.kill();
    }
  }
}
