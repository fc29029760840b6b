// The hub's `AppType` names Workers globals (D1Database, ExecutionContext) in its bindings; the manager
// app imports that type only (never the Worker's code), so it needs their declarations for type checking.
/// <reference types="@cloudflare/workers-types" />
