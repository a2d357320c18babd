// Rules over PostgreSQL parse trees: what one statement does that the running version would feel.
// Returns raw hits; the analyser adds file lines, exemptions, suppressions and configured classes.
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from "libpg-query";
import {
  addedNotValidInTransaction,
  columnAddedInPr,
  declaredStable,
  isWidening,
  knownColumnType,
  mayBeWidening,
  provenNotNull,
  type ColumnType,
  type MigrationState,
  type ObjectRef,
  type StateFact,
} from "./migration-state.js";
import type { SqlRuleId } from "./rule-catalog.js";

export interface RuleHit {
  rule: SqlRuleId;
  /** What exactly, e.g. "drops column `email` of `users`". */
  detail: string;
  /** Table the hit is about; hits on a table created earlier in the same file are exempt. */
  table?: TableRef;
  /** Index of the ALTER TABLE sub-command, to point at its line. */
  command?: number;
}

export type TableRef = ObjectRef;

/** What a statement's judgement depends on besides its own text. */
export interface RuleContext {
  inTransaction: boolean;
  postgresVersion: number;
  /** What earlier statements of the PR did; read only. */
  state: MigrationState;
}

export interface StatementEffects {
  hits: RuleHit[];
  /** The statement waits for a lock that blocks reads or writes on an existing table. */
  locks: TableRef[];
  /** What the statement leaves behind for later statements' rules. */
  facts: StateFact[];
  transaction?: "begin" | "end";
  setsLockTimeout?: boolean;
  /** A DO block whose body is analysed separately. */
  doBlock?: boolean;
}

const SERIAL_TYPES = new Set(["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]);
// Functions known to be VOLATILE, named as such; any other function not known to be STABLE or
// IMMUTABLE (below, or declared so earlier in the PR) is treated as volatile too, as PostgreSQL does
// for a CREATE FUNCTION without a volatility.
const VOLATILE_FUNCTIONS = new Set([
  "random",
  "random_normal",
  "gen_random_uuid",
  "gen_random_bytes",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "uuidv4",
  "uuidv7",
  "clock_timestamp",
  "timeofday",
  "nextval",
  "setval",
  "currval",
]);
/** Built-in functions that are STABLE or IMMUTABLE (pg_proc.provolatile 's' or 'i'). */
const NON_VOLATILE_FUNCTIONS = new Set([
  "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_database", "current_schema", "version",
  "txid_current", "pg_current_xact_id", "lower", "upper", "initcap", "length", "char_length", "octet_length", "btrim", "ltrim",
  "rtrim", "trim", "substr", "substring", "replace", "concat", "concat_ws", "format", "md5", "sha256", "encode", "decode", "to_char",
  "to_date", "to_timestamp", "to_number", "date_trunc", "date_part", "extract", "make_date", "make_time", "make_timestamp",
  "make_timestamptz", "make_interval", "age", "timezone", "abs", "round", "trunc", "floor", "ceil", "ceiling", "jsonb_build_object",
  "jsonb_build_array", "json_build_object", "json_build_array", "to_jsonb", "to_json", "jsonb_object", "json_object", "array_fill",
  "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "to_tsvector", "uuid_nil", "inet_client_addr",
]);


export function tableOf(rel: RangeVar | undefined): TableRef | undefined {
  if (!rel?.relname) return undefined;
  return rel.schemaname ? { schema: rel.schemaname, name: rel.relname } : { name: rel.relname };
}

export function showTable(t: TableRef | undefined): string {
  return t ? `\`${t.schema ? `${t.schema}.` : ""}${t.name}\`` : "the table";
}

export function evaluatePostgresStatement(node: Node, ctx: RuleContext): StatementEffects {
  const { inTransaction } = ctx;
  const fx: StatementEffects = { hits: [], locks: [], facts: [] };
  if ("AlterTableStmt" in node) {
    const stmt = node.AlterTableStmt;
    const table = tableOf(stmt.relation);
    const isTable = stmt.objtype === "OBJECT_TABLE" || stmt.objtype === undefined;
    (stmt.cmds ?? []).forEach((cmdNode, index) => {
      if (!("AlterTableCmd" in cmdNode)) return;
      alterTableCommand(cmdNode.AlterTableCmd, index, table, isTable, ctx, fx);
    });
    if (table && isTable && fx.hits.length + (stmt.cmds?.length ?? 0) > 0) fx.locks.push(table);
    return fx;
  }
  if ("IndexStmt" in node) {
    const stmt = node.IndexStmt;
    const table = tableOf(stmt.relation);
    if (stmt.concurrent) {
      if (inTransaction) fx.hits.push({ rule: "concurrently-in-transaction", detail: `creates index ${name(stmt.idxname)} concurrently inside BEGIN ... COMMIT`, ...withTable(table) });
    } else {
      fx.hits.push({ rule: "create-index-non-concurrently", detail: `creates index ${name(stmt.idxname)} on ${showTable(table)} without CONCURRENTLY`, ...withTable(table) });
      if (table) fx.locks.push(table);
    }
    return fx;
  }
  if ("DropStmt" in node) {
    const stmt = node.DropStmt;
    const objects = (stmt.objects ?? []).map(qualifiedName);
    const list = objects.map((o) => `\`${o}\``).join(", ");
    switch (stmt.removeType) {
      case "OBJECT_TABLE":
        for (const o of objects) fx.hits.push({ rule: "drop-table", detail: `drops table \`${o}\``, table: refFromDotted(o) });
        break;
      case "OBJECT_SCHEMA":
        fx.hits.push({ rule: "drop-schema", detail: `drops schema ${list}` });
        break;
      case "OBJECT_VIEW":
      case "OBJECT_MATVIEW":
        for (const o of objects) {
          fx.hits.push({ rule: "drop-view", detail: `drops ${stmt.removeType === "OBJECT_VIEW" ? "view" : "materialized view"} \`${o}\`${cascade(stmt.behavior, "and every view built on it")}`, table: refFromDotted(o) });
        }
        break;
      case "OBJECT_TYPE":
      case "OBJECT_DOMAIN":
        for (const o of objects) {
          fx.hits.push({ rule: "drop-type", detail: `drops ${stmt.removeType === "OBJECT_TYPE" ? "type" : "domain"} \`${o}\`${cascade(stmt.behavior, "and every column of that type")}`, table: refFromDotted(o) });
        }
        break;
      case "OBJECT_INDEX":
        if (stmt.concurrent) {
          if (inTransaction) fx.hits.push({ rule: "concurrently-in-transaction", detail: `drops index ${list} concurrently inside BEGIN ... COMMIT` });
        } else fx.hits.push({ rule: "drop-index-non-concurrently", detail: `drops index ${list} without CONCURRENTLY` });
        break;
      default:
        break;
    }
    if (stmt.removeType === "OBJECT_TABLE" || stmt.removeType === "OBJECT_VIEW" || stmt.removeType === "OBJECT_MATVIEW" || (stmt.removeType === "OBJECT_INDEX" && !stmt.concurrent)) {
      for (const o of objects) fx.locks.push(refFromDotted(o));
    }
    return fx;
  }
  if ("DropdbStmt" in node) {
    fx.hits.push({ rule: "drop-schema", detail: `drops database \`${node.DropdbStmt.dbname ?? ""}\`` });
    return fx;
  }
  if ("RenameStmt" in node) {
    const stmt = node.RenameStmt;
    const table = tableOf(stmt.relation);
    if (stmt.renameType === "OBJECT_COLUMN") {
      fx.hits.push({ rule: "rename-column", detail: `renames column \`${stmt.subname ?? ""}\` of ${showTable(table)} to \`${stmt.newname ?? ""}\``, ...withTable(table) });
    } else if (stmt.renameType === "OBJECT_TABLE" || stmt.renameType === "OBJECT_VIEW" || stmt.renameType === "OBJECT_MATVIEW") {
      fx.hits.push({ rule: "rename-table", detail: `renames ${showTable(table)} to \`${stmt.newname ?? ""}\``, ...withTable(table) });
    } else {
      const what = RENAMED_OBJECTS[stmt.renameType ?? ""];
      if (what) {
        const target = stmt.renameType === "OBJECT_SCHEMA" ? { name: stmt.subname ?? "" } : table ?? refFromDotted(objectName(stmt.object));
        const old = stmt.renameType === "OBJECT_ATTRIBUTE" ? `attribute \`${stmt.subname ?? ""}\` of ${showTable(table)}` : `${what} ${showTable(target)}`;
        fx.hits.push({ rule: "rename-object", detail: `renames ${old} to \`${stmt.newname ?? ""}\``, table: target });
        return fx;
      }
    }
    if (table) fx.locks.push(table);
    return fx;
  }
  if ("TruncateStmt" in node) {
    for (const rel of node.TruncateStmt.relations ?? []) {
      const table = "RangeVar" in rel ? tableOf(rel.RangeVar) : undefined;
      const cascade = node.TruncateStmt.behavior === "DROP_CASCADE" ? " with CASCADE" : "";
      fx.hits.push({ rule: "truncate", detail: `truncates ${showTable(table)}${cascade}`, ...withTable(table) });
      if (table) fx.locks.push(table);
    }
    return fx;
  }
  if ("CreateStmt" in node) {
    const table = tableOf(node.CreateStmt.relation);
    if (table) fx.facts.push({ kind: "created", object: table });
    return fx;
  }
  if ("ViewStmt" in node || "CreateTableAsStmt" in node) {
    const view = "ViewStmt" in node ? tableOf(node.ViewStmt.view) : tableOf(node.CreateTableAsStmt.into?.rel);
    if (view) fx.facts.push({ kind: "created", object: view });
    return fx;
  }
  if ("CreateEnumStmt" in node || "CreateDomainStmt" in node || "CompositeTypeStmt" in node) {
    const type =
      "CreateEnumStmt" in node ? refFromDotted(namesText(node.CreateEnumStmt.typeName))
      : "CreateDomainStmt" in node ? refFromDotted(namesText(node.CreateDomainStmt.domainname))
      : tableOf(node.CompositeTypeStmt.typevar);
    if (type?.name) fx.facts.push({ kind: "created", object: type });
    return fx;
  }
  if ("CreateFunctionStmt" in node) {
    const fn = lastString(node.CreateFunctionStmt.funcname);
    const volatility = (node.CreateFunctionStmt.options ?? []).flatMap((o) => ("DefElem" in o && o.DefElem.defname === "volatility" && o.DefElem.arg && "String" in o.DefElem.arg ? [o.DefElem.arg.String.sval] : []))[0];
    if (fn) {
      fx.facts.push({ kind: "function-declared", name: fn, stable: volatility === "stable" || volatility === "immutable" });
      if (!node.CreateFunctionStmt.replace) fx.facts.push({ kind: "created", object: refFromDotted(namesText(node.CreateFunctionStmt.funcname)) });
    }
    return fx;
  }
  if ("AlterEnumStmt" in node) {
    const stmt = node.AlterEnumStmt;
    const type = refFromDotted(namesText(stmt.typeName));
    if (stmt.oldVal !== undefined) fx.hits.push({ rule: "rename-object", detail: `renames value '${stmt.oldVal}' of enum ${showTable(type)} to '${stmt.newVal ?? ""}'`, table: type });
    return fx;
  }
  if ("AlterObjectSchemaStmt" in node) {
    const stmt = node.AlterObjectSchemaStmt;
    const what = MOVABLE_OBJECTS[stmt.objectType ?? ""];
    if (!what) return fx;
    const target = tableOf(stmt.relation) ?? refFromDotted(objectName(stmt.object));
    fx.hits.push({ rule: "set-schema", detail: `moves ${what} ${showTable(target)} to schema \`${stmt.newschema ?? ""}\``, table: target });
    if (stmt.relation) fx.locks.push(target);
    return fx;
  }
  if ("AlterDomainStmt" in node) {
    alterDomain(node.AlterDomainStmt, ctx, fx);
    return fx;
  }
  if ("TransactionStmt" in node) {
    const kind = node.TransactionStmt.kind;
    if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") fx.transaction = "begin";
    else if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK" || kind === "TRANS_STMT_PREPARE") fx.transaction = "end";
    return fx;
  }
  if ("VariableSetStmt" in node) {
    if (node.VariableSetStmt.name?.toLowerCase() === "lock_timeout" && node.VariableSetStmt.kind === "VAR_SET_VALUE") fx.setsLockTimeout = true;
    return fx;
  }
  if ("ReindexStmt" in node) {
    const params = (node.ReindexStmt.params ?? []).map((p) => ("DefElem" in p ? p.DefElem.defname : undefined));
    const concurrent = params.includes("concurrently");
    const target = tableOf(node.ReindexStmt.relation) ?? (node.ReindexStmt.name ? { name: node.ReindexStmt.name } : undefined);
    if (!concurrent) fx.hits.push({ rule: "reindex-non-concurrently", detail: `reindexes ${showTable(target)} without CONCURRENTLY` });
    else if (inTransaction) fx.hits.push({ rule: "concurrently-in-transaction", detail: "reindexes concurrently inside BEGIN ... COMMIT" });
    return fx;
  }
  if ("ClusterStmt" in node) {
    const table = tableOf(node.ClusterStmt.relation);
    fx.hits.push({ rule: "rewrite-table", detail: `CLUSTER rewrites ${showTable(table)}`, ...withTable(table) });
    return fx;
  }
  if ("VacuumStmt" in node) {
    const full = (node.VacuumStmt.options ?? []).some((o) => "DefElem" in o && o.DefElem.defname === "full" && !isFalse(o.DefElem.arg));
    if (full && node.VacuumStmt.is_vacuumcmd !== false) fx.hits.push({ rule: "rewrite-table", detail: "VACUUM FULL rewrites the table" });
    return fx;
  }
  if ("LockStmt" in node) {
    fx.hits.push({ rule: "explicit-lock", detail: `locks ${(node.LockStmt.relations ?? []).map((r) => ("RangeVar" in r ? showTable(tableOf(r.RangeVar)) : "?")).join(", ")} explicitly` });
    return fx;
  }
  if ("UpdateStmt" in node) {
    fx.hits.push({ rule: "data-backfill", detail: `updates rows of ${showTable(tableOf(node.UpdateStmt.relation))}${node.UpdateStmt.whereClause ? "" : " (every row)"}` });
    return fx;
  }
  if ("DeleteStmt" in node) {
    fx.hits.push({ rule: "data-backfill", detail: `deletes rows of ${showTable(tableOf(node.DeleteStmt.relation))}${node.DeleteStmt.whereClause ? "" : " (every row)"}` });
    return fx;
  }
  if ("DoStmt" in node) {
    fx.doBlock = true;
    return fx;
  }
  return fx;
}

function alterTableCommand(cmd: AlterTableCmd, index: number, table: TableRef | undefined, isTable: boolean, ctx: RuleContext, fx: StatementEffects): void {
  const { inTransaction, state } = ctx;
  const on = showTable(table);
  const hit = (rule: SqlRuleId, detail: string) => fx.hits.push({ rule, detail, command: index, ...withTable(table) });
  switch (cmd.subtype) {
    case "AT_DropColumn": {
      const added = table && cmd.name ? columnAddedInPr(state, table, cmd.name) : undefined;
      if (added) hit("drop-column-added-in-pr", `drops column \`${cmd.name ?? ""}\` of ${on}, which ${added.file} adds at line ${added.line}`);
      else hit("drop-column", `drops column \`${cmd.name ?? ""}\` of ${on}`);
      return;
    }
    case "AT_AlterColumnType": {
      const def = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
      const to = columnType(def?.typeName);
      const column = cmd.name ?? "";
      const from = table ? knownColumnType(state, table, column) : undefined;
      const change = `the type of \`${column}\` on ${on}${to ? ` to \`${showType(to)}\`` : ""}`;
      if (from && to && !def?.raw_default) {
        if (!isWidening(from, to)) hit("change-column-type", `changes ${change} (from \`${showType(from)}\`, a rewrite)`);
      } else if (to && mayBeWidening(to) && !def?.raw_default && !from) {
        hit("widen-column-type", `changes ${change}: instant only if the old type is a narrower ${to.name === "numeric" ? "numeric with the same scale" : "varchar"}`);
      } else hit("change-column-type", `changes ${change}`);
      if (table && to) fx.facts.push({ kind: "column-type", table, column, type: to });
      return;
    }
    case "AT_SetNotNull":
      setNotNull(cmd.name ?? "", table, ctx, (detail) => hit("set-not-null", detail), `sets NOT NULL on \`${cmd.name ?? ""}\` of ${on}`);
      return;
    case "AT_AddColumn": {
      const def = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
      if (def) {
        addColumn(def, on, ctx, hit);
        const type = columnType(def.typeName);
        if (table && def.colname) fx.facts.push({ kind: "column-added", table, column: def.colname, ...(type ? { type } : {}) });
      }
      return;
    }
    case "AT_AddConstraint": {
      const c = cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
      if (!c) return;
      if (c.contype === "CONSTR_NOTNULL") {
        // PostgreSQL 18: ADD CONSTRAINT ... NOT NULL col is SET NOT NULL with a name (NOT VALID allowed).
        const column = keyName(c.keys);
        if (!c.skip_validation) setNotNull(column, table, ctx, (detail) => hit("set-not-null", detail), `adds NOT NULL constraint ${c.conname ? `\`${c.conname}\`` : ""} on \`${column}\` of ${on}`);
        return;
      }
      addConstraint(c, on, hit);
      if (table) {
        const notNullColumn = c.contype === "CONSTR_CHECK" ? isNotNullCheck(c.raw_expr) : undefined;
        fx.facts.push({ kind: "constraint-added", on: table, ...(c.conname ? { name: c.conname } : {}), ...(notNullColumn ? { notNullColumn } : {}), validated: !c.skip_validation });
      }
      return;
    }
    case "AT_ValidateConstraint":
      if (table && cmd.name) {
        if (inTransaction && addedNotValidInTransaction(state, table, cmd.name)) {
          hit("validate-in-same-transaction", `validates \`${cmd.name}\` on ${on} in the transaction that added it NOT VALID`);
        }
        fx.facts.push({ kind: "constraint-validated", on: table, name: cmd.name });
      }
      return;
    case "AT_ColumnDefault":
      if (!cmd.def) hit("drop-default", `drops the default of \`${cmd.name ?? ""}\` on ${on}`);
      return;
    case "AT_DropIdentity":
      hit("drop-identity", `drops the identity of \`${cmd.name ?? ""}\` on ${on}`);
      return;
    case "AT_SetLogged":
    case "AT_SetUnLogged":
    case "AT_SetTableSpace":
      if (isTable) hit("rewrite-table", `${cmd.subtype === "AT_SetTableSpace" ? "moves" : "changes logging of"} ${on}, rewriting it`);
      return;
    case "AT_DetachPartition": {
      const partition = cmd.def && "PartitionCmd" in cmd.def ? cmd.def.PartitionCmd : undefined;
      if (partition?.concurrent) {
        if (inTransaction) hit("concurrently-in-transaction", `detaches a partition of ${on} concurrently inside a transaction block`);
      } else {
        const old = ctx.postgresVersion < 14 ? ` (PostgreSQL ${ctx.postgresVersion} has no DETACH ... CONCURRENTLY)` : "";
        hit("detach-partition-non-concurrently", `detaches partition ${showTable(tableOf(partition?.name))} of ${on} without CONCURRENTLY${old}`);
      }
      return;
    }
    default:
      return;
  }
}

function addColumn(def: ColumnDef, on: string, ctx: RuleContext, hit: (rule: SqlRuleId, detail: string) => void): void {
  const column = `\`${def.colname ?? ""}\``;
  const constraints = (def.constraints ?? []).flatMap((c) => ("Constraint" in c ? [c.Constraint] : []));
  const has = (type: Constraint["contype"]) => constraints.some((c) => c.contype === type);
  const defaultExpr = constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr;
  const serial = SERIAL_TYPES.has(lastName(def.typeName));
  const generatedStored = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v");
  const realDefault = defaultExpr && !("A_Const" in defaultExpr && defaultExpr.A_Const.isnull) ? defaultExpr : undefined;
  if (serial || has("CONSTR_IDENTITY") || generatedStored) {
    hit("add-column-rewrites-table", `adds ${serial ? "serial" : has("CONSTR_IDENTITY") ? "identity" : "stored generated"} column ${column} to ${on}`);
  } else if (realDefault && ctx.postgresVersion < 11) {
    hit("add-column-rewrites-table", `adds column ${column} with a default to ${on}; PostgreSQL ${ctx.postgresVersion} rewrites the table for any default`);
  } else if ((has("CONSTR_NOTNULL") || def.is_not_null) && !realDefault) {
    hit("add-not-null-column", `adds NOT NULL column ${column} without a default to ${on}`);
  } else if (realDefault) {
    const call = volatileCall(realDefault, ctx.state);
    if (call) {
      const why = VOLATILE_FUNCTIONS.has(call) ? "is volatile" : "is not known to be stable (user-defined functions are VOLATILE unless declared STABLE or IMMUTABLE)";
      hit("volatile-default", `adds column ${column} to ${on} with default ${call}(), which ${why}: every row is rewritten`);
    }
  }
  for (const c of constraints) {
    if (c.contype === "CONSTR_FOREIGN") hit("foreign-key-without-not-valid", `adds column ${column} to ${on} with a REFERENCES constraint, validated at once`);
    if (c.contype === "CONSTR_CHECK") hit("check-without-not-valid", `adds column ${column} to ${on} with a CHECK constraint, validated at once`);
    if (c.contype === "CONSTR_UNIQUE" || c.contype === "CONSTR_PRIMARY") hit("add-unique-constraint", `adds column ${column} to ${on} with a ${c.contype === "CONSTR_UNIQUE" ? "UNIQUE" : "PRIMARY KEY"} constraint`);
  }
}

function addConstraint(c: Constraint, on: string, hit: (rule: SqlRuleId, detail: string) => void): void {
  const label = c.conname ? `\`${c.conname}\`` : "a constraint";
  switch (c.contype) {
    case "CONSTR_FOREIGN":
      if (!c.skip_validation) hit("foreign-key-without-not-valid", `adds foreign key ${label} on ${on} without NOT VALID`);
      return;
    case "CONSTR_CHECK":
      if (!c.skip_validation) hit("check-without-not-valid", `adds check ${label} on ${on} without NOT VALID`);
      return;
    case "CONSTR_UNIQUE":
    case "CONSTR_PRIMARY":
    case "CONSTR_EXCLUSION":
      if (!c.indexname) {
        const kind = c.contype === "CONSTR_UNIQUE" ? "UNIQUE" : c.contype === "CONSTR_PRIMARY" ? "PRIMARY KEY" : "EXCLUDE";
        hit("add-unique-constraint", `adds ${kind} constraint ${label} on ${on} without USING INDEX`);
      }
      return;
    default:
      return;
  }
}

/** The first function call in a default expression that is not known to be STABLE or IMMUTABLE. */
function volatileCall(node: unknown, state: MigrationState, depth = 0): string | undefined {
  if (depth > 50 || node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const inner = volatileCall(item, state, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }
  const record = node as Record<string, unknown>;
  const call = record["FuncCall"] as { funcname?: Node[] } | undefined;
  const fn = call ? lastString(call.funcname)?.toLowerCase() : undefined;
  if (fn && !NON_VOLATILE_FUNCTIONS.has(fn) && !declaredStable(state, fn)) return fn;
  for (const value of Object.values(record)) {
    const inner = volatileCall(value, state, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function setNotNull(column: string, table: TableRef | undefined, ctx: RuleContext, report: (detail: string) => void, detail: string): void {
  // PostgreSQL 12+ skips the scan when a validated CHECK (col IS NOT NULL) proves the column.
  if (ctx.postgresVersion >= 12 && table && provenNotNull(ctx.state, table, column)) return;
  report(detail);
}

function alterDomain(stmt: NonNullable<Extract<Node, { AlterDomainStmt: unknown }>["AlterDomainStmt"]>, ctx: RuleContext, fx: StatementEffects): void {
  const domain = refFromDotted(namesText(stmt.typeName));
  const on = showTable(domain);
  const c = stmt.def && "Constraint" in stmt.def ? stmt.def.Constraint : undefined;
  if (stmt.subtype === "C" && c) {
    if (c.skip_validation) {
      if (c.conname) fx.facts.push({ kind: "constraint-added", on: domain, name: c.conname, validated: false });
    } else fx.hits.push({ rule: "domain-constraint", detail: `adds ${c.contype === "CONSTR_NOTNULL" ? "NOT NULL" : "a CHECK"} constraint ${c.conname ? `\`${c.conname}\` ` : ""}to domain ${on}, checking every column that uses it`, table: domain });
  } else if (stmt.subtype === "O") {
    fx.hits.push({ rule: "domain-constraint", detail: `sets NOT NULL on domain ${on}, checking every column that uses it`, table: domain });
  } else if (stmt.subtype === "V" && stmt.name) {
    if (ctx.inTransaction && addedNotValidInTransaction(ctx.state, domain, stmt.name)) {
      fx.hits.push({ rule: "validate-in-same-transaction", detail: `validates \`${stmt.name}\` on domain ${on} in the transaction that added it NOT VALID`, table: domain });
    }
  }
}

/** The column of `CHECK (col IS NOT NULL)`. */
function isNotNullCheck(expr: Node | undefined): string | undefined {
  if (!expr || !("NullTest" in expr) || expr.NullTest.nulltesttype !== "IS_NOT_NULL") return undefined;
  const arg = expr.NullTest.arg;
  if (!arg || !("ColumnRef" in arg)) return undefined;
  const fields = arg.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return fields.length === 1 && last && "String" in last ? last.String.sval : undefined;
}

function columnType(typeName: TypeName | undefined): ColumnType | undefined {
  const name = lastName(typeName);
  if (!name) return undefined;
  const mods = (typeName?.typmods ?? []).flatMap((m) => ("A_Const" in m && m.A_Const.ival !== undefined ? [m.A_Const.ival.ival ?? 0] : []));
  return { name: name === "bpchar" ? "bpchar" : name, mods };
}

function showType(t: ColumnType): string {
  return t.mods.length > 0 ? `${t.name}(${t.mods.join(", ")})` : t.name;
}

function keyName(keys: Node[] | undefined): string {
  return lastString(keys) ?? "";
}

function namesText(names: Node[] | undefined): string {
  return (names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : "")).join(".");
}

function objectName(node: Node | undefined): string {
  if (!node) return "";
  if ("ObjectWithArgs" in node) return namesText(node.ObjectWithArgs.objname);
  return qualifiedName(node);
}

function cascade(behavior: string | undefined, what: string): string {
  return behavior === "DROP_CASCADE" ? ` with CASCADE (${what})` : "";
}

const RENAMED_OBJECTS: Record<string, string> = {
  OBJECT_FUNCTION: "function",
  OBJECT_PROCEDURE: "procedure",
  OBJECT_ROUTINE: "routine",
  OBJECT_SCHEMA: "schema",
  OBJECT_TYPE: "type",
  OBJECT_DOMAIN: "domain",
  OBJECT_ATTRIBUTE: "attribute",
};

const MOVABLE_OBJECTS: Record<string, string> = {
  OBJECT_TABLE: "table",
  OBJECT_VIEW: "view",
  OBJECT_MATVIEW: "materialized view",
  OBJECT_FOREIGN_TABLE: "foreign table",
  OBJECT_FUNCTION: "function",
  OBJECT_PROCEDURE: "procedure",
  OBJECT_ROUTINE: "routine",
  OBJECT_TYPE: "type",
  OBJECT_DOMAIN: "domain",
};

function lastName(typeName: TypeName | undefined): string {
  return lastString(typeName?.names) ?? "";
}

function lastString(names: Node[] | undefined): string | undefined {
  const last = names?.[names.length - 1];
  return last && "String" in last ? last.String.sval : undefined;
}

function qualifiedName(node: Node): string {
  if ("List" in node) return (node.List.items ?? []).map((i) => ("String" in i ? i.String.sval ?? "" : "")).join(".");
  if ("TypeName" in node) return namesText(node.TypeName.names);
  if ("String" in node) return node.String.sval ?? "";
  return "?";
}

function refFromDotted(dotted: string): TableRef {
  const parts = dotted.split(".");
  const table = parts[parts.length - 1] ?? dotted;
  return parts.length > 1 ? { schema: parts[parts.length - 2] as string, name: table } : { name: table };
}

function withTable(table: TableRef | undefined): { table?: TableRef } {
  return table ? { table } : {};
}

function name(idx: string | undefined): string {
  return idx ? `\`${idx}\`` : "(unnamed)";
}

function isFalse(arg: Node | undefined): boolean {
  if (!arg) return false;
  if ("Boolean" in arg) return arg.Boolean.boolval === false;
  if ("String" in arg) return /^(false|off|0)$/i.test(arg.String.sval ?? "");
  if ("Integer" in arg) return arg.Integer.ival === 0;
  return false;
}
