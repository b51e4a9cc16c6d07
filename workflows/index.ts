export { teamRun } from './team-run';
export { deliverNotification } from './deliver-notification';
export { deliverPushNotification } from './deliver-push';
