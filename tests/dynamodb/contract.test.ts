import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { describeStoreContract } from "../contract/store-contract.js";
import { deleteTable, freshTable } from "../support/dynamo.js";

describeStoreContract("dynamodb", async () => {
  const table = await freshTable();
  return { layer: dynamoStores({ client: table.client, tableName: table.tableName }), teardown: () => deleteTable(table) };
});
