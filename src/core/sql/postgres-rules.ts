// Rules over PostgreSQL parse trees: what one statement does that the running version would feel.
// Returns raw hits; the analyser adds file lines, exemptions, suppressions and configured classes.
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from "libpg-query";
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

export interface TableRef {
  schema?: string;
  name: string;
}

export interface StatementEffects {
  hits: RuleHit[];
  /** The statement waits for a lock that blocks reads or writes on an existing table. */
  locks: TableRef[];
  createsTable?: TableRef;
  transaction?: "begin" | "end";
  setsLockTimeout?: boolean;
  /** A DO block whose body is analysed separately. */
  doBlock?: boolean;
}

const SERIAL_TYPES = new Set(["serial", "serial2", "serial4", "serial8", "smallserial", "bigserial"]);
const VOLATILE_FUNCTIONS = new Set([
  "random",
  "gen_random_uuid",
  "uuid_generate_v1",
  "uuid_generate_v1mc",
  "uuid_generate_v4",
  "uuidv4",
  "uuidv7",
  "clock_timestamp",
  "timeofday",
  "nextval",
  "txid_current",
  "statement_timestamp",
]);

export function tableOf(rel: RangeVar | undefined): TableRef | undefined {
  if (!rel?.relname) return undefined;
  return rel.schemaname ? { schema: rel.schemaname, name: rel.relname } : { name: rel.relname };
}

export function showTable(t: TableRef | undefined): string {
  return t ? `\`${t.schema ? `${t.schema}.` : ""}${t.name}\`` : "the table";
}

export function evaluatePostgresStatement(node: Node, inTransaction: boolean): StatementEffects {
  const fx: StatementEffects = { hits: [], locks: [] };
  if ("AlterTableStmt" in node) {
    const stmt = node.AlterTableStmt;
    const table = tableOf(stmt.relation);
    const isTable = stmt.objtype === "OBJECT_TABLE" || stmt.objtype === undefined;
    (stmt.cmds ?? []).forEach((cmdNode, index) => {
      if (!("AlterTableCmd" in cmdNode)) return;
      alterTableCommand(cmdNode.AlterTableCmd, index, table, isTable, inTransaction, fx);
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
      case "OBJECT_INDEX":
        if (stmt.concurrent) {
          if (inTransaction) fx.hits.push({ rule: "concurrently-in-transaction", detail: `drops index ${list} concurrently inside BEGIN ... COMMIT` });
        } else fx.hits.push({ rule: "drop-index-non-concurrently", detail: `drops index ${list} without CONCURRENTLY` });
        break;
      default:
        break;
    }
    if (stmt.removeType === "OBJECT_TABLE" || (stmt.removeType === "OBJECT_INDEX" && !stmt.concurrent)) {
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
    if (table) fx.createsTable = table;
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

function alterTableCommand(cmd: AlterTableCmd, index: number, table: TableRef | undefined, isTable: boolean, inTransaction: boolean, fx: StatementEffects): void {
  const on = showTable(table);
  const hit = (rule: SqlRuleId, detail: string) => fx.hits.push({ rule, detail, command: index, ...withTable(table) });
  switch (cmd.subtype) {
    case "AT_DropColumn":
      hit("drop-column", `drops column \`${cmd.name ?? ""}\` of ${on}`);
      return;
    case "AT_AlterColumnType":
      hit("change-column-type", `changes the type of \`${cmd.name ?? ""}\` on ${on}${typeText(cmd.def)}`);
      return;
    case "AT_SetNotNull":
      hit("set-not-null", `sets NOT NULL on \`${cmd.name ?? ""}\` of ${on}`);
      return;
    case "AT_AddColumn": {
      const def = cmd.def && "ColumnDef" in cmd.def ? cmd.def.ColumnDef : undefined;
      if (def) addColumn(def, on, hit);
      return;
    }
    case "AT_AddConstraint": {
      const c = cmd.def && "Constraint" in cmd.def ? cmd.def.Constraint : undefined;
      if (c) addConstraint(c, on, hit);
      return;
    }
    case "AT_SetLogged":
    case "AT_SetUnLogged":
    case "AT_SetTableSpace":
      if (isTable) hit("rewrite-table", `${cmd.subtype === "AT_SetTableSpace" ? "moves" : "changes logging of"} ${on}, rewriting it`);
      return;
    case "AT_DetachPartition":
      if (inTransaction && cmd.def && "PartitionCmd" in cmd.def && cmd.def.PartitionCmd.concurrent) {
        hit("concurrently-in-transaction", `detaches a partition of ${on} concurrently inside BEGIN ... COMMIT`);
      }
      return;
    default:
      return;
  }
}

function addColumn(def: ColumnDef, on: string, hit: (rule: SqlRuleId, detail: string) => void): void {
  const column = `\`${def.colname ?? ""}\``;
  const constraints = (def.constraints ?? []).flatMap((c) => ("Constraint" in c ? [c.Constraint] : []));
  const has = (type: Constraint["contype"]) => constraints.some((c) => c.contype === type);
  const defaultExpr = constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr;
  const serial = SERIAL_TYPES.has(lastName(def.typeName));
  const generatedStored = constraints.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v");
  if (serial || has("CONSTR_IDENTITY") || generatedStored) {
    hit("add-column-rewrites-table", `adds ${serial ? "serial" : has("CONSTR_IDENTITY") ? "identity" : "stored generated"} column ${column} to ${on}`);
  } else if ((has("CONSTR_NOTNULL") || def.is_not_null) && !defaultExpr) {
    hit("add-not-null-column", `adds NOT NULL column ${column} without a default to ${on}`);
  }
  if (defaultExpr) {
    const volatile = volatileCall(defaultExpr);
    if (volatile) hit("volatile-default", `adds column ${column} to ${on} with volatile default ${volatile}()`);
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

function volatileCall(node: Node | undefined, depth = 0): string | undefined {
  if (!node || depth > 50) return undefined;
  if ("FuncCall" in node) {
    const fn = lastString(node.FuncCall.funcname);
    if (fn && VOLATILE_FUNCTIONS.has(fn.toLowerCase())) return fn;
    for (const arg of node.FuncCall.args ?? []) {
      const inner = volatileCall(arg, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }
  if ("TypeCast" in node) return volatileCall(node.TypeCast.arg, depth + 1);
  if ("A_Expr" in node) return volatileCall(node.A_Expr.lexpr, depth + 1) ?? volatileCall(node.A_Expr.rexpr, depth + 1);
  if ("CoalesceExpr" in node) {
    for (const arg of node.CoalesceExpr.args ?? []) {
      const inner = volatileCall(arg, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

function typeText(def: Node | undefined): string {
  const typeName = def && "ColumnDef" in def ? def.ColumnDef.typeName : undefined;
  const t = lastName(typeName);
  return t ? ` to \`${t}\`` : "";
}

function lastName(typeName: TypeName | undefined): string {
  return lastString(typeName?.names) ?? "";
}

function lastString(names: Node[] | undefined): string | undefined {
  const last = names?.[names.length - 1];
  return last && "String" in last ? last.String.sval : undefined;
}

function qualifiedName(node: Node): string {
  if ("List" in node) return (node.List.items ?? []).map((i) => ("String" in i ? i.String.sval ?? "" : "")).join(".");
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
