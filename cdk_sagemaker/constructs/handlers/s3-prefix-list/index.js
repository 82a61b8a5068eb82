// Custom::S3PrefixList - answers the id of an AWS-managed prefix list (the S3 one of the region) by its name.
// CloudFormation has no attribute for it, and a security group egress rule to S3 through a gateway endpoint must
// name it (VPC user guide, "Gateway endpoints for Amazon S3"). Read-only: nothing is created, so Delete does nothing.
const { EC2Client, DescribeManagedPrefixListsCommand } = require("@aws-sdk/client-ec2");

exports.handler = async (event) => {
  if (event.RequestType === "Delete") {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const name = event.ResourceProperties.PrefixListName;
  const ec2 = new EC2Client({});
  const out = await ec2.send(new DescribeManagedPrefixListsCommand({
    Filters: [{ Name: "prefix-list-name", Values: [name] }],
  }));
  const found = (out.PrefixLists || []).find((list) => list.PrefixListName === name);
  if (!found) {
    throw new Error(`No AWS-managed prefix list named ${name} in this region`);
  }
  return { PhysicalResourceId: found.PrefixListId, Data: { PrefixListId: found.PrefixListId } };
};
